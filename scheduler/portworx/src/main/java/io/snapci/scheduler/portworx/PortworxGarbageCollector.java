package io.snapci.scheduler.portworx;

import io.snapci.scheduler.core.process.PeriodicTask;

import io.snapci.scheduler.core.storage.StorageException;
import io.snapci.scheduler.portworx.sdk.Messages;
import io.snapci.scheduler.portworx.sdk.OpenStorageClient;
import io.snapci.scheduler.portworx.sdk.SdkException;
import io.snapci.scheduler.portworx.sdk.Volume;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Deletes what runs left behind in Portworx: clones and per-run snapshots snapci made whose run is finished or
 * unknown to this scheduler, once they are older than the grace period (a run being started on another scheduler,
 * or saved a moment late, is not raced). Scheduled snapshots and base copies belong to their schedule's retention,
 * not to GC.
 *
 * <p>Only what {@link VolumeProof} proves snapci's is touched — labels are not enough, every clone of a snapci volume
 * inherits them. A clone left unlabelled by a crash between clone and label (or by a server that ignores
 * {@code additional_labels}) is recognised by its name and its parent, a proven snapci snapshot or base copy, or —
 * that parent gone — by the labels it inherited from the run's snapshot; it is labelled, then deleted. Snapshots
 * something is still made from (anyone's clone) are kept and reported.
 *
 * <p>One pass costs one InspectWithFilters call over every volume (parents are proven from the same answer), plus
 * per volume deleted an inspect (the volume as it is now) and a delete, and for a snapshot a SnapshotEnumerate (for
 * clones made since the listing). Run it on start and periodically ({@link #startPeriodic}).
 */
public final class PortworxGarbageCollector implements AutoCloseable {

    private final OpenStorageClient client;
    private final OwnedVolumes owned;
    private final VolumeNames names;
    private final RunLookup runs;
    private final Duration grace;
    private final Clock clock;
    private PeriodicTask timer;

    public PortworxGarbageCollector(PortworxDriver driver, PortworxConfig config, RunLookup runs, Clock clock) {
        this.client = driver.client();
        this.owned = driver.ownedVolumes();
        this.names = driver.names();
        this.runs = runs;
        this.grace = config.gcGrace();
        this.clock = clock;
    }

    /** One pass now. */
    public GcReport collect() throws StorageException {
        Instant now = clock.instant();
        Map<String, Volume> all = new LinkedHashMap<>();
        try {
            for (Messages.InspectResponse r : client.inspectWithFilters(null, null)) {
                all.put(r.volume().id(), r.volume());
            }
        } catch (SdkException e) {
            throw Failures.of("listing volumes for garbage collection", e);
        }
        List<GcReport.Collected> deleted = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        int examined = 0;
        int kept = 0;
        Set<String> clonesLeft = new HashSet<>();
        Set<String> deletedIds = new HashSet<>();
        for (Volume v : all.values()) {
            if (v.readonly() || !(Labels.isSnapci(v) || names.runOfCloneName(v.name()) != null)) {
                continue;
            }
            String run;
            boolean orphan = false;
            if (Labels.isKind(v, Labels.KIND_CLONE) && owned.whyNotClone(v, null, all, true) == null) {
                run = v.labels().get(Labels.RUN);
            } else {
                run = names.runOfCloneName(v.name());
                if (run == null || owned.whyNotAdoptable(v, run, all, true) != null) {
                    continue; // not provably snapci's: a user's volume, whatever labels it inherited
                }
                orphan = true;
            }
            examined++;
            if (!collectible(run, v, now)) {
                kept++;
                clonesLeft.add(v.parent());
                continue;
            }
            try {
                if (orphan) {
                    owned.adoptOrphan(v, run);
                }
                owned.detachAndDeleteClone(v.id(), run, all); // its agent may have died with it attached
                deleted.add(new GcReport.Collected(v.name(), run, false));
                deletedIds.add(v.id());
            } catch (StorageException e) {
                failures.add(v.describe() + ": " + e.getMessage());
                clonesLeft.add(v.parent());
            }
        }
        Map<String, Volume> remaining = new LinkedHashMap<>(all);
        remaining.keySet().removeAll(deletedIds); // no longer volumes their parents are made from
        for (Volume v : all.values()) {
            if (deletedIds.contains(v.id())) {
                continue;
            }
            String run = v.labels().get(Labels.RUN);
            boolean leftUnlabelled = run != null && owned.whyNotUnlabelledGroupSnapshot(v, run, all, names) == null;
            if (!Labels.isKind(v, Labels.KIND_SNAPSHOT) || run == null
                    || !leftUnlabelled && owned.whyNotSnapshot(v) != null) {
                continue;
            }
            examined++;
            if (clonesLeft.contains(v.id()) || !collectible(run, v, now)) {
                kept++;
                continue;
            }
            try {
                if (leftUnlabelled) {
                    owned.adoptUnlabelledGroupSnapshot(v, run, all, names); // then it is proven, and goes as any
                }
                if (owned.deleteSnapshot(v.id(), run, remaining)) {
                    deleted.add(new GcReport.Collected(v.name(), run, true));
                } else {
                    kept++;
                    failures.add(v.describe() + ": kept, volumes were made from it that snapci did not make"
                            + " (a dependent clone or snapshot); it goes once they are deleted");
                }
            } catch (StorageException e) {
                failures.add(v.describe() + ": " + e.getMessage());
            }
        }
        return new GcReport(examined, deleted, kept, failures);
    }

    private boolean collectible(String run, Volume v, Instant now) {
        RunLookup.State state = runs.stateOf(run);
        boolean pastGrace = v.ctime() == null || !v.ctime().plus(grace).isAfter(now);
        return state != RunLookup.State.ACTIVE && pastGrace;
    }

    /** Runs a pass now and then every {@code interval}, reporting each pass (or its failure) to {@code log}. */
    public void startPeriodic(Duration interval, Consumer<String> log) {
        startPeriodic(interval, log, report -> { });
    }

    /** As {@link #startPeriodic(Duration, Consumer)}; {@code passes} hears every pass that completed (the audit). */
    public synchronized void startPeriodic(Duration interval, Consumer<String> log, Consumer<GcReport> passes) {
        if (timer != null) {
            throw new IllegalStateException("garbage collection is already running");
        }
        timer = PeriodicTask.start("snapci-portworx-gc", interval, () -> {
            try {
                GcReport report = collect();
                passes.accept(report);
                if (!report.deleted().isEmpty() || !report.failures().isEmpty()) {
                    log.accept("Portworx GC: deleted " + report.deleted() + (report.failures().isEmpty() ? ""
                            : "; could not delete " + report.failures()));
                }
            } catch (StorageException e) {
                log.accept("Portworx GC pass failed (tried again in " + interval + "): " + e.getMessage());
            }
        }, e -> log.accept("Portworx GC pass failed (tried again in " + interval + "): " + e.getMessage()));
    }

    @Override
    public synchronized void close() {
        if (timer != null) {
            timer.close();
            timer = null;
        }
    }
}
