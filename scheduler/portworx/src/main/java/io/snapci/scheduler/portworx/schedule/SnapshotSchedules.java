package io.snapci.scheduler.portworx.schedule;

import io.snapci.scheduler.core.process.PeriodicTask;

import io.snapci.scheduler.core.schedule.Cron;
import io.snapci.scheduler.core.schedule.Retention;
import io.snapci.scheduler.core.schedule.ScheduleAudit;
import io.snapci.scheduler.core.schedule.ScheduleState;
import io.snapci.scheduler.core.schedule.SnapshotCatalog;
import io.snapci.scheduler.core.schedule.ScheduleStore;
import io.snapci.scheduler.core.schedule.SnapshotSchedule;
import io.snapci.scheduler.core.schedule.TakenSnapshot;

import io.snapci.scheduler.core.storage.StorageException;
import io.snapci.scheduler.portworx.Labels;
import io.snapci.scheduler.portworx.OwnedVolumes;
import io.snapci.scheduler.portworx.PortworxDriver;
import io.snapci.scheduler.portworx.ScheduledCuts;
import io.snapci.scheduler.portworx.Snapshots;
import io.snapci.scheduler.portworx.VolumeNames;
import io.snapci.scheduler.portworx.sdk.Volume;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Takes scheduled snapshots of source volumes and applies their retention. {@link #tick()} is called by the scheduler
 * (every minute, {@link #startPeriodic}) with a {@link Clock} tests control. For each schedule it takes at most one
 * snapshot per tick: the latest tick due since the last one, so a scheduler that was down for ten ticks takes one
 * catch-up snapshot, not ten. The snapshot's name is derived from the tick, so a tick retried after a crash or a lost
 * answer finds the snapshot the first try took. Schedules and their progress are kept in a {@link ScheduleStore}.
 *
 * <p>A schedule of a cluster (several volumes, or a selector: {@link SnapshotSchedule#source()}) takes one consistent
 * cut of every node volume per tick ({@link ScheduledCuts}: a group snapshot, or one after the other with the spread),
 * its retention deleting whole cuts.
 *
 * <p>Portworx caps snapshots per volume: a schedule is refused when its retention could keep more than half the cap,
 * and before a snapshot is taken the source's snapshots (anyone's) are counted and retention is applied first when
 * they are near the cap.
 */
public final class SnapshotSchedules implements SnapshotCatalog, AutoCloseable {

    private final Snapshots snapshots;
    private final OwnedVolumes owned;
    private final VolumeNames names;
    private final ScheduledCuts cuts;
    private final ScheduleStore store;
    private final Clock clock;
    private final ScheduleAudit audit;
    private PeriodicTask timer;

    public SnapshotSchedules(PortworxDriver driver, ScheduleStore store, Clock clock) {
        this(driver, store, clock, ScheduleAudit.NONE);
    }

    /** @param audit told of every snapshot the schedules take and their retention deletes */
    public SnapshotSchedules(PortworxDriver driver, ScheduleStore store, Clock clock, ScheduleAudit audit) {
        this.audit = audit;
        this.snapshots = driver.snapshots();
        this.owned = driver.ownedVolumes();
        this.names = driver.names();
        this.cuts = driver.scheduledCuts();
        this.store = store;
        this.clock = clock;
    }

    /** Adds or replaces a schedule; its first interval tick is now, its first cron tick the next match. */
    @Override
    public void add(SnapshotSchedule schedule) {
        int keeps = schedule.maxKept();
        int limit = snapshots.capPerVolume() / 2;
        if (keeps > limit) {
            throw new IllegalArgumentException("schedule " + schedule.name() + " could keep " + keeps + " snapshots"
                    + " of " + schedule.sourceVolume() + ", more than half of Portworx's cap of "
                    + snapshots.capPerVolume() + " per volume: lower keepLast or maxAge, or snapshot less often");
        }
        Instant now = clock.instant();
        store.save(new ScheduleState(schedule, now, null, null, null));
    }

    /**
     * Adds the schedule unless the store already holds it unchanged (a restarted scheduler given the same
     * configuration): its last tick is kept, so missed ticks give one catch-up snapshot, not a restart of the clock.
     */
    public void ensure(SnapshotSchedule schedule) {
        boolean known = store.list().stream().anyMatch(s -> s.schedule().equals(schedule));
        if (!known) {
            add(schedule);
        }
    }

    @Override
    public boolean remove(String name) {
        boolean known = store.list().stream().anyMatch(s -> s.schedule().name().equals(name));
        store.delete(name);
        return known;
    }

    @Override
    public List<ScheduleState> schedules() {
        return store.list();
    }

    /**
     * Takes schedule {@code name}'s snapshot now (on demand: fresh data for the runs about to start, which reuse it
     * through their maxAge), under the schedule's retention. The schedule's own phase is left as it was.
     *
     * @return the snapshot's name
     * @throws IllegalArgumentException when there is no such schedule
     */
    @Override
    public synchronized String takeNow(String name) throws StorageException {
        SnapshotSchedule schedule = store.list().stream().map(ScheduleState::schedule)
                .filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no snapshot schedule named '" + name + "'"));
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        if (schedule.source().isCluster()) {
            return takeCut(schedule, now, now, new ArrayList<>(), false).id();
        }
        Volume source = snapshots.source(schedule.sourceVolume());
        if (snapshots.countOf(source) >= snapshots.capPerVolume() - 1) {
            applyRetention(schedule, source, now, 1);
        }
        Volume snap = snapshots.take(source, names.scheduledSnapshot(schedule.name(), now),
                Labels.scheduledSnapshot(schedule.name(), source));
        // Taken for a caller: the API records who asked (SNAPSHOT_CREATED); retention's deletions are told here.
        applyRetention(schedule, source, now, 0);
        return snap.name();
    }

    /** Every snapshot snapci took that still exists (scheduled and runs' own), newest first. */
    @Override
    public List<TakenSnapshot> snapshots() throws StorageException {
        return snapshots.owned(Map.of()).stream().map(v -> new TakenSnapshot(v.id(), v.name(),
                v.labels().get(Labels.SOURCE_NAME), v.labels().get(Labels.SCHEDULE), v.labels().get(Labels.RUN),
                v.ctime())).toList();
    }

    /** Takes the snapshots that are due and applies retention; returns what happened, one line per action. */
    public synchronized List<String> tick() {
        List<String> log = new ArrayList<>();
        Instant now = clock.instant();
        for (ScheduleState state : store.list()) {
            SnapshotSchedule schedule = state.schedule();
            try {
                Instant due = state.dueTick(now);
                if (due != null && schedule.source().isCluster()) {
                    ScheduledCuts.ScheduledCut cut = takeCut(schedule, due, now, log, true);
                    store.save(state.taken(due, cut.id()));
                } else if (due != null) {
                    Volume source = snapshots.source(schedule.sourceVolume());
                    if (snapshots.countOf(source) >= snapshots.capPerVolume() - 1) {
                        log.addAll(applyRetention(schedule, source, now, 1)); // make room for the one to come
                    }
                    Volume snap = snapshots.take(source, names.scheduledSnapshot(schedule.name(), due),
                            Labels.scheduledSnapshot(schedule.name(), source));
                    store.save(state.taken(due, snap.name()));
                    audit.taken(schedule.name(), List.of(source.name()), snap.name(), takenAt(snap, now));
                    log.add("took " + snap.name() + " of " + source.name() + " for tick " + due);
                    log.addAll(applyRetention(schedule, source, now, 0));
                }
            } catch (StorageException | RuntimeException e) {
                store.save(state.failed(e.getMessage()));
                log.add("schedule " + schedule.name() + " failed: " + e.getMessage());
            }
        }
        return log;
    }


    /**
     * A cluster schedule's cut for {@code tick}: retention first when a node volume is near the cap, then the cut,
     * then retention (whole cuts only).
     */
    private ScheduledCuts.ScheduledCut takeCut(SnapshotSchedule schedule, Instant tick, Instant now, List<String> log,
                                               boolean auditTaken) throws StorageException {
        List<Volume> nodes = cuts.nodes(schedule.source());
        for (Volume node : nodes) {
            if (snapshots.countOf(node) >= snapshots.capPerVolume() - 1) {
                log.addAll(cuts.applyRetention(schedule, now, 1, audit)); // make room for the cut to come
                break;
            }
        }
        ScheduledCuts.ScheduledCut cut = cuts.take(schedule.name(), tick, nodes);
        if (auditTaken) {  // else taken for a caller, whom the API records
            audit.taken(schedule.name(), nodes.stream().map(Volume::name).toList(), cut.id(),
                    cut.taken() == null ? now : cut.taken());
        }
        log.add("took cut " + cut.id() + " of " + nodes.stream().map(Volume::name).toList() + " (" + cut.how()
                + ") for tick " + tick);
        log.addAll(cuts.applyRetention(schedule, now, 0, audit));
        return cut;
    }

    /**
     * Deletes the schedule's snapshots retention lets go, except those anything was made from (snapci's clones, base
     * copies, or a user's clone: {@link OwnedVolumes#deleteSnapshot} keeps those). With {@code reserve} 1 it keeps
     * one fewer than keepLast, to make room for a snapshot about to be taken near the cap.
     */
    private List<String> applyRetention(SnapshotSchedule schedule, Volume source, Instant now, int reserve)
            throws StorageException {
        List<String> log = new ArrayList<>();
        List<Volume> mine = snapshots.owned(Map.of(Labels.SCHEDULE, schedule.name(), Labels.SOURCE, source.id()))
                .stream().filter(v -> !v.labels().containsKey(Labels.GROUP)).toList(); // cuts go whole, by their own
        Set<String> inUse = parentsOfLiveClones();
        Retention keep = schedule.retention();
        for (int i = 0; i < mine.size(); i++) {
            Volume snap = mine.get(i);
            boolean tooMany = keep.keepLast() != null && i >= Math.max(0, keep.keepLast() - reserve);
            boolean tooOld = keep.maxAge() != null && snap.ctime() != null
                    && snap.ctime().isBefore(now.minus(keep.maxAge()));
            if ((tooMany || tooOld) && !inUse.contains(snap.id())
                    && schedule.name().equals(snap.labels().get(Labels.SCHEDULE))) {
                if (owned.deleteSnapshot(snap.id(), null)) {
                    audit.deleted(schedule.name(), List.of(source.name()), snap.name(), keep.reason(tooOld));
                    log.add("retention of " + schedule.name() + " deleted " + snap.name());
                } else {
                    log.add("retention of " + schedule.name() + " keeps " + snap.name() + ": volumes were made from it");
                }
            }
        }
        return log;
    }

    private static Instant takenAt(Volume snapshot, Instant fallback) {
        return snapshot.ctime() == null ? fallback : snapshot.ctime();
    }

    private Set<String> parentsOfLiveClones() throws StorageException {
        Set<String> parents = new HashSet<>();
        for (var clone : snapshots.labelledClones()) {
            if (clone.parent() != null) {
                parents.add(clone.parent());
            }
        }
        return parents;
    }


    /** Ticks every {@code interval} (a minute suits cron) on a daemon thread, reporting to {@code log}. */
    public synchronized void startPeriodic(Duration interval, Consumer<String> log) {
        if (timer != null) {
            throw new IllegalStateException("snapshot schedules are already running");
        }
        timer = PeriodicTask.start("snapci-snapshot-schedules", interval, () -> tick().forEach(log),
                e -> log.accept("snapshot schedules: tick failed: " + e));
    }

    @Override
    public synchronized void close() {
        if (timer != null) {
            timer.close();
            timer = null;
        }
    }
}
