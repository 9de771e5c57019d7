package io.snapci.tests.portworx;

import io.snapci.model.Source;
import io.snapci.scheduler.core.storage.Clone;
import io.snapci.scheduler.portworx.Labels;
import io.snapci.scheduler.core.testkit.InMemoryScheduleStore;
import io.snapci.scheduler.core.schedule.Retention;
import io.snapci.scheduler.core.schedule.ScheduleState;
import io.snapci.scheduler.core.schedule.SnapshotSchedule;
import io.snapci.scheduler.portworx.schedule.SnapshotSchedules;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Snapshot schedules on the SDK peer with a clock the test moves: ticks, catch-up after downtime, retention, cap. */
class SnapshotSchedulesTest {

    private PortworxFixture px;

    @BeforeEach
    void setUp() throws Exception {
        px = new PortworxFixture();
    }

    @AfterEach
    void tearDown() {
        px.close();
    }

    private List<String> scheduledNames() {
        return px.peer.derivedVolumes().stream().map(id -> px.peer.stateOf(id).replaceAll(".* name=(\\S+) .*", "$1"))
                .sorted().toList();
    }

    @Test
    void anIntervalScheduleTakesOneSnapshotPerTickAndKeepsTheLastN() {
        SnapshotSchedules schedules = px.schedules(PortworxFixture.hourly(2));
        Instant t0 = px.clock.instant();

        schedules.tick();
        schedules.tick();
        assertThat(px.peer.derivedVolumes()).as("one per tick, however often tick() runs").hasSize(1);
        tickHourlyFor(schedules, 3);
        assertThat(scheduledNames()).containsExactly(
                scheduledName("hourly", t0.plus(Duration.ofHours(2))),
                scheduledName("hourly", t0.plus(Duration.ofHours(3))));
        assertThat(px.peer.derivedVolumes()).allSatisfy(id -> assertThat(px.peer.labelsOf(id))
                .containsEntry(Labels.SCHEDULE, "hourly").containsEntry(Labels.CREATED_BY, "snapci"));
    }

    @Test
    void afterARestartMissedTicksGiveOneCatchUpNotABurstAndStateSurvivesInTheStore() {
        InMemoryScheduleStore store = new InMemoryScheduleStore(); // outlives the scheduler, as ZooKeeper does
        new SnapshotSchedules(px.driver, store, px.clock).add(PortworxFixture.hourly(10));
        Instant t0 = px.clock.instant();
        new SnapshotSchedules(px.driver, store, px.clock).tick();

        px.clock.advance(Duration.ofHours(5).plusMinutes(20)); // the scheduler was down for five ticks
        SnapshotSchedules restarted = new SnapshotSchedules(px.driver, store,
                px.clock);
        restarted.tick();
        restarted.tick();
        assertThat(px.peer.derivedVolumes()).hasSize(2);
        Instant catchUp = t0.plus(Duration.ofHours(5));
        assertThat(scheduledNames()).contains(scheduledName("hourly", catchUp));
        ScheduleState state = restarted.schedules().get(0);
        assertThat(state.lastTick()).as("the phase of the schedule is kept").isEqualTo(catchUp);

        px.clock.advance(Duration.ofMinutes(40));
        restarted.tick();
        assertThat(px.peer.derivedVolumes()).hasSize(3);
    }

    @Test
    void aRestartedSchedulerGivenTheSameConfigurationKeepsEachSchedulesPhase() {
        InMemoryScheduleStore store = new InMemoryScheduleStore(); // outlives the scheduler, as ZooKeeper does
        SnapshotSchedule hourly = PortworxFixture.hourly(10);
        new SnapshotSchedules(px.driver, store, px.clock).ensure(hourly);
        Instant t0 = px.clock.instant();
        new SnapshotSchedules(px.driver, store, px.clock).tick();

        px.clock.advance(Duration.ofMinutes(150));
        SnapshotSchedules restarted = new SnapshotSchedules(px.driver, store, px.clock);
        restarted.ensure(hourly);   // what serve does with its configured schedules at every start
        restarted.tick();

        assertThat(restarted.schedules().get(0).lastTick()).as("one catch-up on the old phase, not a new clock")
                .isEqualTo(t0.plus(Duration.ofHours(2)));
        assertThat(px.peer.derivedVolumes()).hasSize(2);

        SnapshotSchedule changed = PortworxFixture.hourly(5);
        restarted.ensure(changed);
        assertThat(restarted.schedules().get(0).schedule()).isEqualTo(changed);
        assertThat(restarted.schedules().get(0).lastTick()).as("a changed schedule starts afresh").isNull();
    }

    @Test
    void aCronScheduleTakesTheLatestMatchingMinuteAndMaxAgeRetentionDeletesOldOnes() {
        px.clock.set(Instant.parse("2026-11-25T10:07:00Z"));
        SnapshotSchedules schedules = px.schedules(SnapshotSchedule.cron("quarterly", "cassandra-prod",
                "*/15 * * * *", new Retention(null, Duration.ofMinutes(40))));
        schedules.tick();
        assertThat(px.peer.derivedVolumes()).as("no match since the schedule was added").isEmpty();

        px.clock.set(Instant.parse("2026-11-25T10:16:00Z"));
        schedules.tick();
        px.clock.set(Instant.parse("2026-11-25T11:05:00Z")); // 10:30, 10:45 and 11:00 missed
        schedules.tick();
        assertThat(scheduledNames()).containsExactly(
                "snapci-sched-quarterly-" + Instant.parse("2026-11-25T11:00:00Z").getEpochSecond());
    }

    @Test
    void retentionKeepsASnapshotThatALiveCloneWasMadeFrom() throws Exception {
        SnapshotSchedules schedules = px.schedules(PortworxFixture.hourly(1));
        schedules.tick();
        String first = px.peer.derivedVolumes().get(0);
        Clone clone = px.driver.createClone("r1", Source.volume("cassandra-prod", Duration.ofHours(1)));
        px.clock.advance(Duration.ofHours(1));
        schedules.tick();
        assertThat(px.peer.stateOf(first)).as("in use by run r1").isNotNull();

        px.driver.deleteClone(clone);
        px.clock.advance(Duration.ofHours(1));
        schedules.tick();
        assertThat(px.peer.stateOf(first)).isNull();
    }

    @Test
    void aRetentionThatCouldReachThePortworxCapIsRefused() {
        SnapshotSchedules schedules = px.schedules();
        assertThatThrownBy(() -> schedules.add(SnapshotSchedule.every("often", "cassandra-prod",
                Duration.ofMinutes(5), new Retention(null, Duration.ofHours(12)))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cap of 64");
        assertThat(schedules.schedules()).isEmpty();
    }

    @Test
    void nearTheCapRetentionRunsBeforeTheNextSnapshot() throws Exception {
        px.close();
        px = new PortworxFixture();
        px.peer.snapshotCap(4);
        var cfg = px.config.withSnapshotCap(4);
        var driver = new io.snapci.scheduler.portworx.PortworxDriver(cfg,
                new io.snapci.scheduler.portworx.sdk.OpenStorageClient(cfg.sdk(), d -> { }), px.clock);
        SnapshotSchedules schedules = new SnapshotSchedules(driver, new InMemoryScheduleStore(), px.clock);
        schedules.add(PortworxFixture.hourly(2));
        px.peer.plant("operators-own-1", px.sourceId, true, java.util.Map.of(), px.clock.instant());
        px.peer.plant("operators-own-2", px.sourceId, true, java.util.Map.of(), px.clock.instant());
        for (int i = 0; i < 4; i++) {
            schedules.tick();
            px.clock.advance(Duration.ofHours(1));
        }
        assertThat(schedules.schedules().get(0).lastError()).isNull();
        assertThat(px.peer.derivedVolumes()).hasSize(4);
    }

    // ---- a cluster of volumes: one cut per tick, retention by whole cuts ----

    private static final String NODES = "cassandra-0,cassandra-1,cassandra-2";

    /** An hourly schedule {@code nodes} of the {@link #NODES} cluster that keeps its last {@code keepLast} cuts. */
    private static SnapshotSchedule nodesHourly(int keepLast) {
        return SnapshotSchedule.every("nodes", NODES, Duration.ofHours(1), new Retention(keepLast, null));
    }

    /** The name snapci gives what {@code schedule} takes at {@code at}: snapci-sched-(schedule)-(epoch second). */
    private static String scheduledName(String schedule, Instant at) {
        return "snapci-sched-" + schedule + "-" + at.getEpochSecond();
    }

    /** Each of the next {@code hours} hours: the clock moves an hour on, then the schedules tick. */
    private void tickHourlyFor(SnapshotSchedules schedules, int hours) {
        for (int hour = 1; hour <= hours; hour++) {
            px.clock.advance(Duration.ofHours(1));
            schedules.tick();
        }
    }

    private List<String> addNodes() {
        return List.of("cassandra-0", "cassandra-1", "cassandra-2").stream()
                .map(n -> px.peer.addVolume(n, java.util.Map.of("app", "cassandra-prod"), 10L << 30)).toList();
    }

    /** The cut ids (group labels) of the snapshots there are now, sorted, each with how many snapshots it has. */
    private java.util.Map<String, Long> cuts() {
        return px.peer.derivedVolumes().stream().map(px.peer::labelsOf).filter(l -> l.containsKey(Labels.GROUP))
                .collect(java.util.stream.Collectors.groupingBy(l -> l.get(Labels.GROUP), java.util.TreeMap::new,
                        java.util.stream.Collectors.counting()));
    }

    @Test
    void aClusterScheduleTakesOneGroupSnapshotPerTickAndKeepLastDeletesWholeCuts() {
        List<String> sources = addNodes();
        SnapshotSchedules schedules = px.schedules(nodesHourly(2));
        Instant t0 = px.clock.instant();

        schedules.tick();
        schedules.tick();
        assertThat(px.peer.groupSnapshotRequests()).as("one cut per tick, however often tick() runs").isEqualTo(1);
        tickHourlyFor(schedules, 3);
        String cut2 = scheduledName("nodes", t0.plus(Duration.ofHours(2)));
        String cut3 = scheduledName("nodes", t0.plus(Duration.ofHours(3)));
        assertThat(cuts()).as("the last two cuts, each of every node").containsExactly(
                java.util.Map.entry(cut2, 3L), java.util.Map.entry(cut3, 3L));
        assertThat(px.peer.derivedVolumes()).hasSize(6).allSatisfy(id -> {
            assertThat(px.peer.labelsOf(id)).containsEntry(Labels.SCHEDULE, "nodes")
                    .containsEntry(Labels.CUT, Labels.CUT_GROUP).containsEntry(Labels.CREATED_BY, "snapci");
            assertThat(sources).contains(px.peer.labelsOf(id).get(Labels.SOURCE));
            assertThat(px.peer.stateOf(id)).contains("parent=" + px.peer.labelsOf(id).get(Labels.SOURCE));
        });
        assertThat(schedules.schedules().get(0).lastSnapshot()).isEqualTo(cut3);
        assertThat(px.peer.journal()).as("nothing ever changes a production volume")
                .noneMatch(m -> sources.contains(m.target()));
    }

    @Test
    void withoutGroupSnapshotsAClusterScheduleSnapshotsTheNodesOneAfterTheOtherUnderOneCutId() throws Exception {
        addNodes();
        px.peer.groupSnapshots(OpenStorageSdkPeer.GroupSnapshots.NOT_SUPPORTED);
        SnapshotSchedules schedules = px.schedules(SnapshotSchedule.every("nodes", "app=cassandra-prod",
                Duration.ofHours(1), new Retention(1, null)));
        String cut = scheduledName("nodes", px.clock.instant());

        List<String> log = schedules.tick();

        assertThat(log).anySatisfy(l -> assertThat(l).contains("took cut " + cut, "one after the other", "spread"));
        for (String name : List.of(cut, cut + "-node-2", cut + "-node-3")) {
            assertThat(px.peer.labelsOf(px.peer.idOfName(name))).containsEntry(Labels.GROUP, cut)
                    .containsEntry(Labels.CUT, Labels.CUT_SEQUENTIAL);
        }
        assertThat(px.driver.scheduledCuts().cutsOf("nodes")).singleElement()
                .satisfies(c -> assertThat(c.group()).isFalse());

        px.clock.advance(Duration.ofHours(1));
        schedules.tick();
        assertThat(cuts()).as("keepLast 1: the older cut went whole").containsOnlyKeys(
                scheduledName("nodes", px.clock.instant()));
    }

    @Test
    void retentionKeepsACutWholeWhileARunUsesOneOfItsSnapshotsAndDeletesItWholeAfter() throws Exception {
        addNodes();
        SnapshotSchedules schedules = px.schedules(nodesHourly(1));
        schedules.tick();
        String first = scheduledName("nodes", px.clock.instant());
        Clone clone = px.driver.createClone("r1", new Source(null, null, Duration.ofHours(1), null,
                List.of(NODES.split(",")), null));
        assertThat(clone.description()).contains("reused scheduled cut " + first);

        px.clock.advance(Duration.ofHours(1));
        List<String> log = schedules.tick();
        assertThat(log).anySatisfy(l -> assertThat(l).contains("keeps cut " + first + " whole"));
        assertThat(cuts()).containsEntry(first, 3L).hasSize(2);

        px.driver.deleteClone(clone);
        px.clock.advance(Duration.ofHours(1));
        schedules.tick();
        assertThat(cuts()).as("no part of a cut is ever left").doesNotContainKey(first).hasSize(1)
                .allSatisfy((id, count) -> assertThat(count).isEqualTo(3L));
    }

    @Test
    void aCopyOfACutsSnapshotCarryingItsLabelsIsNeitherPartOfTheCutNorDeletedAndKeepsTheCutWhole() throws Exception {
        addNodes();
        SnapshotSchedules schedules = px.schedules(nodesHourly(1));
        schedules.tick();
        String first = scheduledName("nodes", px.clock.instant());
        String member = px.peer.derivedVolumes().get(0);
        // an operator's snapshot of one of the cut's snapshots: it inherits every label (api.proto:3728-3730)
        String operators = px.peer.plant("operators-copy", member, true, px.peer.labelsOf(member),
                px.clock.instant());

        px.clock.advance(Duration.ofHours(1));
        List<String> log = schedules.tick();

        assertThat(px.peer.stateOf(operators)).as("not snapci's: its parent is no source").isNotNull();
        assertThat(log).anySatisfy(l -> assertThat(l).contains("keeps cut " + first + " whole"));
        assertThat(px.driver.scheduledCuts().cutsOf("nodes")).hasSize(2)
                .allSatisfy(c -> assertThat(c.snapshots()).hasSize(3)
                        .noneMatch(v -> v.id().equals(operators)));
    }

    @Test
    void aClusterScheduleNamingOneVolumeTwiceOrAnEmptyOneIsRefused() {
        assertThatThrownBy(() -> SnapshotSchedule.every("nodes", "cassandra-0,cassandra-0", Duration.ofHours(1),
                new Retention(1, null))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("twice");
        assertThatThrownBy(() -> SnapshotSchedule.every("nodes", "cassandra-0,", Duration.ofHours(1),
                new Retention(1, null))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty");
        assertThat(SnapshotSchedule.every("nodes", "app=cassandra", Duration.ofHours(1), new Retention(1, null))
                .source().volumesSelector()).isEqualTo("app=cassandra");
    }

    @Test
    void aTickRetriedAfterACrashBetweenTheGroupSnapshotAndItsLabellingFinishesTheSameCut() throws Exception {
        List<String> sources = addNodes();
        SnapshotSchedules schedules = px.schedules(nodesHourly(2));
        String cut = scheduledName("nodes", px.clock.instant());
        // what the scheduler that died had done: the group request, its snapshots marked by the request's labels only
        px.driver.client().snapshotGroup(cut, Labels.scheduledCut("nodes", cut, Labels.CUT_GROUP), sources);

        schedules.tick();

        assertThat(px.peer.groupSnapshotRequests()).as("the cut is not taken twice").isEqualTo(1);
        assertThat(px.driver.scheduledCuts().cutsOf("nodes")).singleElement().satisfies(c -> {
            assertThat(c.id()).isEqualTo(cut);
            assertThat(c.snapshots()).hasSize(3).allSatisfy(v -> assertThat(v.labels()).containsKey(Labels.SOURCE));
        });
        assertThat(schedules.schedules().get(0).lastSnapshot()).isEqualTo(cut);
    }

    // ---- the audit log: every snapshot a schedule takes or its retention deletes ----

    private List<String> audited(io.snapci.scheduler.core.testkit.InMemoryAuditLog log) {
        return log.query(io.snapci.scheduler.core.audit.AuditQuery.all(100)).stream()
                .map(e -> e.who() + " " + e.action() + " " + e.snapshot() + " of " + e.sources() + " ("
                        + e.detail() + ")" + (e.dataTakenAt() == null ? "" : " data " + e.dataTakenAt()))
                .toList();
    }

    @Test
    void eachScheduledSnapshotAndEachRetentionDeletionIsAudited() {
        io.snapci.scheduler.core.testkit.InMemoryAuditLog log = new io.snapci.scheduler.core.testkit.InMemoryAuditLog();
        SnapshotSchedules schedules = new SnapshotSchedules(px.driver, new InMemoryScheduleStore(), px.clock,
                new io.snapci.server.audit.ScheduledSnapshotAudit(log, px.clock, lost -> { throw new AssertionError(lost); }));
        schedules.add(PortworxFixture.hourly(1));
        Instant t0 = px.clock.instant();

        schedules.tick();
        px.clock.advance(Duration.ofHours(1));
        schedules.tick();

        String first = scheduledName("hourly", t0);
        String second = scheduledName("hourly", t0.plus(Duration.ofHours(1)));
        assertThat(audited(log)).hasSize(3).satisfiesExactly(
                e -> assertThat(e).startsWith("snapci:schedule SNAPSHOT_CREATED " + first
                        + " of [cassandra-prod] (schedule hourly) data "),
                e -> assertThat(e).startsWith("snapci:schedule SNAPSHOT_CREATED " + second),
                e -> assertThat(e).isEqualTo("snapci:schedule SNAPSHOT_DELETED " + first
                        + " of [cassandra-prod] (schedule hourly, retention: beyond keepLast 1)"));
    }

    @Test
    void aClusterSchedulesCutsAreAuditedWithEveryNodeVolume() {
        addNodes();
        io.snapci.scheduler.core.testkit.InMemoryAuditLog log = new io.snapci.scheduler.core.testkit.InMemoryAuditLog();
        SnapshotSchedules schedules = new SnapshotSchedules(px.driver, new InMemoryScheduleStore(), px.clock,
                new io.snapci.server.audit.ScheduledSnapshotAudit(log, px.clock, lost -> { throw new AssertionError(lost); }));
        schedules.add(SnapshotSchedule.every("nodes", NODES, Duration.ofHours(1), new Retention(null,
                Duration.ofMinutes(90))));
        Instant t0 = px.clock.instant();

        schedules.tick();
        px.clock.advance(Duration.ofHours(2));
        schedules.tick();

        String cut1 = scheduledName("nodes", t0);
        assertThat(audited(log)).hasSize(3).satisfiesExactly(
                e -> assertThat(e).startsWith("snapci:schedule SNAPSHOT_CREATED " + cut1
                        + " of [cassandra-0, cassandra-1, cassandra-2] (schedule nodes)"),
                e -> assertThat(e).contains("SNAPSHOT_CREATED snapci-sched-nodes-"),
                e -> assertThat(e).isEqualTo("snapci:schedule SNAPSHOT_DELETED " + cut1
                        + " of [cassandra-0, cassandra-1, cassandra-2] (schedule nodes, retention: older than maxAge PT1H30M)"));
    }
}
