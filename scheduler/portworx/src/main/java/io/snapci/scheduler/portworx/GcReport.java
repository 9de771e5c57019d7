package io.snapci.scheduler.portworx;

import java.util.List;

/**
 * What one GC pass did.
 *
 * @param examined  snapci volumes looked at
 * @param collected the clones and snapshots deleted, each with the run it was left behind by
 * @param kept      how many were kept (active run, within the grace period, or still cloned from)
 * @param failures  what could not be deleted and why; tried again next pass
 */
public record GcReport(int examined, List<Collected> collected, int kept, List<String> failures) {

    public GcReport {
        collected = List.copyOf(collected);
        failures = List.copyOf(failures);
    }

    /** A volume a pass deleted: a run's clone or its snapshot ({@code snapshot}), and that run's id. */
    public record Collected(String name, String runId, boolean snapshot) {
    }

    /** The names of the clones and snapshots deleted. */
    public List<String> deleted() {
        return collected.stream().map(Collected::name).toList();
    }
}
