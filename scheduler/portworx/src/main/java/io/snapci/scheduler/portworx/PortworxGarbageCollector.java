package io.snapci.scheduler.portworx;

import io.snapci.scheduler.core.process.Threads;

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
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Deletes what runs left behind in Portworx: clones and per-run snapshots labelled by snapci whose run is finished
 * or unknown to this scheduler, once they are older than the grace period (a run being started on another
 * scheduler, or saved a moment late, is not raced). Scheduled snapshots belong to their schedule's retention, not
 * to GC. A clone left unlabelled by a crash between clone and label is found by its name and parent (a snapci
 * snapshot) and labelled before it is deleted. Snapshots something is still cloned from are kept.
 *
 * <p>One pass costs one InspectWithFilters call over every volume (labelled ones and unlabelled clones in one
 * answer) plus an inspect and a delete per volume deleted. Run it on start and periodically ({@link #startPeriodic}).
 */
public final class PortworxGarbageCollector implements AutoCloseable {

    private final OpenStorageClient client;
    private final OwnedVolumes owned;
    private final VolumeNames names;
    private final RunLookup runs;
    private final Duration grace;
    private final Clock clock;
    private ScheduledExecutorService timer;

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
        List<Volume> all;
        try {
            all = client.inspectWithFilters(null, null).stream().map(Messages.InspectResponse::volume).toList();
        } catch (SdkException e) {
            throw Failures.of("listing volumes for garbage collection", e);
        }
        List<String> deleted = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        int examined = 0;
        int kept = 0;
        Set<String> snapciSnapshots = new HashSet<>();
        for (Volume v : all) {
            if (Labels.isKind(v, Labels.KIND_SNAPSHOT)) {
                snapciSnapshots.add(v.id());
            }
        }
        Set<String> stillParents = new HashSet<>();
        for (Volume v : all) {
            boolean clone = Labels.isKind(v, Labels.KIND_CLONE);
            boolean orphan = !Labels.isSnapci(v) && !v.readonly() && names.isCloneName(v.name())
                    && v.parent() != null && snapciSnapshots.contains(v.parent());
            if (!clone && !orphan) {
                continue;
            }
            examined++;
            String run = clone ? v.labels().get(Labels.RUN) : v.name().substring(names.clone("").length());
            if (!collectible(run, v, now)) {
                kept++;
                if (v.parent() != null) {
                    stillParents.add(v.parent());
                }
                continue;
            }
            try {
                if (orphan) {
                    owned.adoptClone(v.id(), v.name(), owned.find(v.parent()).orElse(null), run,
                            Labels.clone(run, null, null), null);
                }
                owned.delete(v.id(), Labels.KIND_CLONE, run);
                deleted.add(v.name());
            } catch (StorageException e) {
                failures.add(v.describe() + ": " + e.getMessage());
                if (v.parent() != null) {
                    stillParents.add(v.parent());
                }
            }
        }
        for (Volume v : all) {
            if (!Labels.isKind(v, Labels.KIND_SNAPSHOT) || v.labels().containsKey(Labels.SCHEDULE)) {
                continue;
            }
            examined++;
            String run = v.labels().get(Labels.RUN);
            if (run == null || stillParents.contains(v.id()) || !collectible(run, v, now)) {
                kept++;
                continue;
            }
            try {
                owned.delete(v.id(), Labels.KIND_SNAPSHOT, run);
                deleted.add(v.name());
            } catch (StorageException e) {
                failures.add(v.describe() + ": " + e.getMessage());
            }
        }
        return new GcReport(examined, List.copyOf(deleted), kept, List.copyOf(failures));
    }

    private boolean collectible(String run, Volume v, Instant now) {
        RunLookup.State state = runs.stateOf(run);
        boolean pastGrace = v.ctime() == null || !v.ctime().plus(grace).isAfter(now);
        return state != RunLookup.State.ACTIVE && pastGrace;
    }

    /** Runs a pass now and then every {@code interval}, reporting each pass (or its failure) to {@code log}. */
    public synchronized void startPeriodic(Duration interval, Consumer<String> log) {
        if (timer != null) {
            throw new IllegalStateException("garbage collection is already running");
        }
        timer = Executors.newSingleThreadScheduledExecutor(Threads.daemon("snapci-portworx-gc"));
        timer.scheduleWithFixedDelay(() -> {
            try {
                GcReport report = collect();
                if (!report.deleted().isEmpty() || !report.failures().isEmpty()) {
                    log.accept("Portworx GC: deleted " + report.deleted() + (report.failures().isEmpty() ? ""
                            : "; could not delete " + report.failures()));
                }
            } catch (StorageException | RuntimeException e) {
                log.accept("Portworx GC pass failed (tried again in " + interval + "): " + e.getMessage());
            }
        }, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void close() {
        if (timer != null) {
            timer.shutdownNow();
            timer = null;
        }
    }
}
