package io.snapci.scheduler.portworx;

import java.util.List;

/**
 * What one GC pass did.
 *
 * @param examined  snapci volumes looked at
 * @param deleted   names of the clones and snapshots deleted
 * @param kept      how many were kept (active run, within the grace period, or still cloned from)
 * @param failures  what could not be deleted and why; tried again next pass
 */
public record GcReport(int examined, List<String> deleted, int kept, List<String> failures) {
}
