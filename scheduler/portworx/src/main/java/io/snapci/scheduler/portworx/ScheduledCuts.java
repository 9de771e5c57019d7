package io.snapci.scheduler.portworx;

import io.snapci.model.Source;
import io.snapci.scheduler.core.schedule.Retention;
import io.snapci.scheduler.core.schedule.ScheduleAudit;
import io.snapci.scheduler.core.schedule.SnapshotSchedule;
import io.snapci.scheduler.core.storage.StorageException;
import io.snapci.scheduler.portworx.sdk.Volume;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A schedule's cuts of a cluster source: every node volume snapshotted as one cut per tick (a group snapshot, or one
 * after the other with the spread, as a run's own cut is taken: {@link Cuts}). Every snapshot of a cut carries the
 * schedule ({@link Labels#SCHEDULE}), the cut's id ({@link Labels#GROUP}, {@code snapci-sched-<schedule>-<tick>}:
 * the tick's snapshot name, so a tick retried after a crash finds the cut the first try took) and how it was taken
 * ({@link Labels#CUT}). Only snapshots {@link VolumeProof} proves snapci's count as part of a cut — labels alone are
 * inherited by anyone's copy — and retention deletes whole cuts only, never part of one: a cut one of whose
 * snapshots anything is made from is kept whole.
 */
public final class ScheduledCuts {

    /**
     * One cut as found.
     *
     * @param id        the cut's id (its group label)
     * @param schedule  the schedule that took it
     * @param snapshots its snapshots (node order as the schedule took them)
     * @param taken     the first snapshot's creation time: the data's time
     * @param group     one group snapshot (every node at one moment) or one after the other
     * @param spread    from the first snapshot's creation to the last's (zero for a group snapshot)
     */
    public record ScheduledCut(String id, String schedule, List<Volume> snapshots, Instant taken, boolean group,
                               Duration spread) {

        /** How the cut was taken, for logs and the run record. */
        public String how() {
            return group ? "one group snapshot (every node at the same moment)"
                    : snapshots.size() + " snapshots one after the other, spread " + spread.toMillis()
                    + " ms from the first to the last";
        }

        /** Whether it has one snapshot of each of {@code nodes}, and of nothing else. */
        boolean isExactlyOf(List<Volume> nodes) {
            Set<String> ids = new HashSet<>();
            for (Volume n : nodes) {
                ids.add(n.id());
            }
            Set<String> parents = new HashSet<>();
            for (Volume s : snapshots) {
                parents.add(s.parent());
            }
            return snapshots.size() == nodes.size() && parents.equals(ids);
        }

        /** Its snapshots in the order of {@code nodes} (which it is {@link #isExactlyOf exactly of}). */
        List<Volume> inOrderOf(List<Volume> nodes) {
            List<Volume> out = new ArrayList<>();
            for (Volume n : nodes) {
                out.add(snapshots.stream().filter(s -> n.id().equals(s.parent())).findFirst().orElseThrow());
            }
            return out;
        }
    }

    private final OwnedVolumes owned;
    private final Snapshots snapshots;
    private final VolumeNames names;
    private final Cuts cuts;
    private final ClusterCopies cluster;

    ScheduledCuts(OwnedVolumes owned, Snapshots snapshots, VolumeNames names, Cuts cuts, ClusterCopies cluster) {
        this.owned = owned;
        this.snapshots = snapshots;
        this.names = names;
        this.cuts = cuts;
        this.cluster = cluster;
    }

    /** A cluster source's node volumes, in node order (as named, or the selector's matches by name). */
    public List<Volume> nodes(Source source) throws StorageException {
        List<Volume> nodes = cluster.sources(source);
        for (Volume node : nodes) {
            owned.protect(node);
        }
        return nodes;
    }

    /** Takes (or, retried, finds) schedule {@code schedule}'s cut for {@code tick}. */
    public ScheduledCut take(String schedule, Instant tick, List<Volume> nodes) throws StorageException {
        String id = names.scheduledSnapshot(schedule, tick);
        Cuts.Plan plan = new Cuts.Plan(id, Labels.scheduledCut(schedule, id, Labels.CUT_GROUP),
                (source, node) -> Labels.scheduledCut(schedule, id, Labels.CUT_GROUP, source, node),
                node -> names.scheduledCutSnapshot(id, node),
                (source, node) -> Labels.scheduledCut(schedule, id, Labels.CUT_SEQUENTIAL, source, node));
        Cuts.Cut cut = cuts.take(plan, nodes);
        return toCut(id, schedule, cut.snapshots());
    }

    /** Schedule {@code schedule}'s cuts (of proven snapshots), newest first. */
    public List<ScheduledCut> cutsOf(String schedule) throws StorageException {
        return group(snapshots.owned(Map.of(Labels.SCHEDULE, schedule)));
    }

    /**
     * The newest cut of any schedule with one snapshot of each of {@code nodes} and of nothing else, whose data is no
     * older than {@code maxAge} at {@code now}: the freshness rule of a run's {@code maxAge} over a cluster.
     */
    public Optional<ScheduledCut> youngestComplete(List<Volume> nodes, Duration maxAge, Instant now)
            throws StorageException {
        Instant oldest = now.minus(maxAge);
        List<Volume> scheduled = new ArrayList<>();
        for (Volume v : snapshots.owned(Map.of(Labels.SOURCE, nodes.get(0).id()))) {
            if (v.labels().containsKey(Labels.SCHEDULE) && v.labels().containsKey(Labels.GROUP)) {
                scheduled.add(v);
            }
        }
        Set<String> cutIds = new HashSet<>();
        for (Volume v : scheduled) {
            cutIds.add(v.labels().get(Labels.GROUP));
        }
        List<Volume> members = new ArrayList<>();
        for (String id : cutIds) {
            members.addAll(snapshots.owned(Map.of(Labels.GROUP, id)));
        }
        return group(members).stream()
                .filter(c -> c.isExactlyOf(nodes))
                .filter(c -> c.taken() != null && !c.taken().isBefore(oldest) && !c.taken().isAfter(now))
                .findFirst()
                .map(c -> new ScheduledCut(c.id(), c.schedule(), c.inOrderOf(nodes), c.taken(), c.group(),
                        c.spread()));
    }

    /**
     * Deletes the cuts the schedule's retention lets go, each whole: a cut is kept whole when anything is made from
     * any of its snapshots (snapci's clones, or anyone's). With {@code reserve} 1 it keeps one fewer than keepLast,
     * to make room for a cut about to be taken near Portworx's cap.
     */
    public List<String> applyRetention(SnapshotSchedule schedule, Instant now, int reserve, ScheduleAudit audit)
            throws StorageException {
        List<String> log = new ArrayList<>();
        Set<String> inUse = new HashSet<>();
        for (Volume clone : snapshots.labelledClones()) {
            if (clone.parent() != null) {
                inUse.add(clone.parent());
            }
        }
        Retention keep = schedule.retention();
        List<ScheduledCut> all = cutsOf(schedule.name());
        for (int i = 0; i < all.size(); i++) {
            ScheduledCut cut = all.get(i);
            boolean tooMany = keep.keepLast() != null && i >= Math.max(0, keep.keepLast() - reserve);
            boolean tooOld = keep.maxAge() != null && cut.taken() != null
                    && cut.taken().isBefore(now.minus(keep.maxAge()));
            if (!tooMany && !tooOld) {
                continue;
            }
            String usedBy = null;
            for (Volume s : cut.snapshots()) {
                if (inUse.contains(s.id()) || owned.hasDependents(s)) {
                    usedBy = s.name();
                    break;
                }
            }
            if (usedBy != null) {
                log.add("retention of " + schedule.name() + " keeps cut " + cut.id() + " whole: volumes were made"
                        + " from its snapshot " + usedBy);
                continue;
            }
            List<String> deleted = new ArrayList<>();
            for (Volume s : cut.snapshots()) {
                if (owned.deleteSnapshot(s.id(), null)) {
                    deleted.add(s.name());
                } else {
                    // made from in the moment since the check: the rest goes on the next pass, the cut is incomplete
                    // meanwhile, so no run reuses it
                    log.add("retention of " + schedule.name() + " keeps " + s.name() + ": a volume was just made"
                            + " from it");
                }
            }
            audit.deleted(schedule.name(), cut.snapshots().stream().map(v -> v.labels().getOrDefault(
                    Labels.SOURCE_NAME, v.name())).toList(), cut.id(), keep.reason(tooOld));
            log.add("retention of " + schedule.name() + " deleted cut " + cut.id() + " " + deleted);
        }
        return log;
    }

    /** Proven snapshots grouped into their cuts (by cut id), newest cut first. */
    private List<ScheduledCut> group(List<Volume> proven) {
        Map<String, List<Volume>> byCut = new LinkedHashMap<>();
        for (Volume v : proven) {
            String id = v.labels().get(Labels.GROUP);
            String schedule = v.labels().get(Labels.SCHEDULE);
            if (id != null && schedule != null && v.labels().containsKey(Labels.CUT)) {
                byCut.computeIfAbsent(id, k -> new ArrayList<>()).add(v);
            }
        }
        List<ScheduledCut> out = new ArrayList<>();
        for (Map.Entry<String, List<Volume>> e : byCut.entrySet()) {
            List<Volume> members = new ArrayList<>(e.getValue());
            members.sort(Comparator.comparingInt(Labels::node));
            out.add(toCut(e.getKey(), members.get(0).labels().get(Labels.SCHEDULE), members));
        }
        out.sort(Comparator.comparing(ScheduledCut::taken, Comparator.nullsLast(Comparator.reverseOrder())));
        return out;
    }

    private static ScheduledCut toCut(String id, String schedule, List<Volume> members) {
        List<Instant> times = members.stream().map(Volume::ctime).filter(Objects::nonNull).toList();
        Instant first = times.stream().min(Comparator.naturalOrder()).orElse(null);
        Instant last = times.stream().max(Comparator.naturalOrder()).orElse(null);
        boolean group = members.stream().allMatch(v -> Labels.CUT_GROUP.equals(v.labels().get(Labels.CUT)));
        Duration spread = group || first == null ? Duration.ZERO : Duration.between(first, last);
        return new ScheduledCut(id, schedule, List.copyOf(members), first, group, spread);
    }
}
