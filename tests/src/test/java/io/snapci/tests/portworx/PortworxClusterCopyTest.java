package io.snapci.tests.portworx;

import io.snapci.model.Source;
import io.snapci.scheduler.core.storage.Clone;
import io.snapci.scheduler.core.storage.StorageException;
import io.snapci.scheduler.core.storage.StorageException.Kind;
import io.snapci.scheduler.portworx.Labels;
import io.snapci.scheduler.portworx.PortworxGarbageCollector;
import io.snapci.tests.portworx.OpenStorageSdkPeer.GroupSnapshots;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A cluster source on the SDK peer: three production volumes snapshotted as one cut (the volume REST API's group
 * snapshot) or, where the server has none, one after the other with the spread recorded; a clone per node; every
 * clone and snapshot of the run deleted with it; the production volumes never changed.
 */
class PortworxClusterCopyTest {

    private static final List<String> NODES = List.of("cassandra-0", "cassandra-1", "cassandra-2");

    private PortworxFixture px;
    private List<String> sourceIds;
    private List<String> before;

    @BeforeEach
    void setUp() throws Exception {
        px = new PortworxFixture();
        sourceIds = NODES.stream().map(n -> px.peer.addVolume(n, Map.of("app", "cassandra-prod"), 10L << 30))
                .toList();
        before = sourceIds.stream().map(px.peer::stateOf).toList();
    }

    @AfterEach
    void tearDown() {
        assertThat(sourceIds.stream().map(px.peer::stateOf).toList()).as("the production volumes never change")
                .isEqualTo(before);
        assertThat(px.peer.journal()).as("no change ever targets a production volume")
                .noneMatch(m -> sourceIds.contains(m.target()));
        px.close();
    }

    @Test
    void aGroupSnapshotIsOneCutAndEachNodeGetsALabelledCloneAllDeletedWithTheRun() throws Exception {
        Clone clone = px.driver.createClone("r1", Source.volumes(NODES));

        assertThat(px.peer.groupSnapshotRequests()).isEqualTo(1);
        assertThat(px.peer.journal()).as("no snapshot was taken one by one")
                .noneMatch(m -> m.path().equals("/v1/volumes/snapshots"));
        assertThat(clone.volumeName()).isEqualTo("snapci-r1");
        assertThat(clone.furtherVolumeNames()).containsExactly("snapci-r1-node-2", "snapci-r1-node-3");
        assertThat(clone.volumeNames()).hasSize(3);
        assertThat(clone.description()).contains("3 nodes into one", "one group snapshot");
        assertThat(clone.snapshotSpreadMillis()).as("one cut: no spread").isZero();
        for (int n = 1; n <= 3; n++) {
            String cloneId = px.peer.idOfName(n == 1 ? "snapci-r1" : "snapci-r1-node-" + n);
            Map<String, String> labels = px.peer.labelsOf(cloneId);
            assertThat(labels).containsEntry(Labels.RUN, "r1").containsEntry(Labels.KIND, "clone")
                    .containsEntry(Labels.SOURCE, sourceIds.get(n - 1)).doesNotContainKey(Labels.GROUP);
            String snapshot = labels.get(Labels.SNAPSHOT);
            assertThat(px.peer.labelsOf(snapshot)).containsEntry(Labels.GROUP, "snapci-r1-group")
                    .containsEntry(Labels.SOURCE, sourceIds.get(n - 1));
            assertThat(px.peer.stateOf(snapshot)).contains("parent=" + sourceIds.get(n - 1), "readonly=true");
            if (n > 1) {
                assertThat(labels).containsEntry(Labels.NODE, String.valueOf(n));
            }
        }
        assertThat(px.driver.listClones()).as("the run's clones are one copy")
                .singleElement().satisfies(c -> assertThat(c.furtherVolumeNames()).hasSize(2));

        px.driver.deleteClone(clone);
        assertThat(px.peer.derivedVolumes()).as("every clone and snapshot of the run is gone").isEmpty();
    }

    @Test
    void withoutGroupSnapshotsTheNodesAreSnapshottedOneAfterTheOtherAndTheSpreadIsRecorded() throws Exception {
        px.peer.groupSnapshots(GroupSnapshots.NOT_SUPPORTED);

        Clone clone = px.driver.createClone("r1", Source.volumes(NODES));

        assertThat(px.peer.groupSnapshotRequests()).isEqualTo(1);
        assertThat(px.peer.journal().stream().filter(m -> m.path().equals("/v1/volumes/snapshots")).count())
                .isEqualTo(3);
        assertThat(clone.description()).contains("3 snapshots one after the other", "spread", " ms from the first");
        assertThat(clone.snapshotSpreadMillis()).isNotNull().isGreaterThanOrEqualTo(0);
        assertThat(px.peer.idOfName("snapci-r1-node-3-snap")).isNotNull();
        px.driver.deleteClone(clone);
        assertThat(px.peer.derivedVolumes()).isEmpty();
    }

    @Test
    void aServerThatDoesNotServeTheVolumeApiFallsBackToo() throws Exception {
        px.peer.groupSnapshots(GroupSnapshots.NOT_SERVED);

        Clone clone = px.driver.createClone("r1", Source.volumesSelector("app=cassandra-prod"));

        assertThat(clone.description()).contains("one after the other");
        assertThat(clone.volumeNames()).containsExactly("snapci-r1", "snapci-r1-node-2", "snapci-r1-node-3");
        assertThat(px.peer.labelsOf(px.peer.idOfName("snapci-r1-node-2")))
                .as("a selector's volumes are taken in name order")
                .containsEntry(Labels.SOURCE_NAME, "cassandra-1");
        px.driver.deleteClone(clone);
        assertThat(px.peer.derivedVolumes()).isEmpty();
    }

    @Test
    void aMissingVolumeRefusesTheRunBeforeAnythingIsMade() {
        assertThatThrownBy(() -> px.driver.createClone("r1", Source.volumes(List.of("cassandra-0", "nope"))))
                .isInstanceOf(StorageException.class)
                .satisfies(e -> assertThat(((StorageException) e).kind()).isEqualTo(Kind.SOURCE_NOT_FOUND))
                .hasMessageContaining("nope");
        assertThat(px.peer.derivedVolumes()).isEmpty();
    }

    @Test
    void aSelectorsVolumesAreShownToTheGateByNameBeforeAnythingIsSnapshotted() throws Exception {
        List<List<String>> asked = new java.util.ArrayList<>();
        assertThatThrownBy(() -> px.driver.createClone("r1", Source.volumesSelector("app=cassandra-prod"), nodes -> {
            asked.add(nodes);
            throw new StorageException(Kind.REFUSED, "cassandra-1 requires masking");
        })).isInstanceOf(StorageException.class).hasMessageContaining("cassandra-1 requires masking");

        assertThat(asked).containsExactly(NODES);
        assertThat(px.peer.groupSnapshotRequests()).isZero();
        assertThat(px.peer.derivedVolumes()).as("nothing was snapshotted or cloned").isEmpty();

        Clone admitted = px.driver.createClone("r2", Source.volumesSelector("app=cassandra-prod"), asked::add);
        assertThat(asked).hasSize(2);
        assertThat(admitted.volumeNames()).hasSize(3);
    }

    @Test
    void aGroupSnapshotTheDriverRefusesFailsTheRunAndLeavesNothing() {
        px.peer.faults().driverFails("groupsnapshot", 1, "pool full");

        assertThatThrownBy(() -> px.driver.createClone("r1", Source.volumes(NODES)))
                .isInstanceOf(StorageException.class).hasMessageContaining("pool full");
        assertThat(px.peer.derivedVolumes()).isEmpty();
    }

    @Test
    void aCloneThatFailsDeletesTheSnapshotsOfEveryNode() {
        px.peer.faults().driverFails("clone", 1, "no space");
        px.peer.groupSnapshots(GroupSnapshots.NOT_SUPPORTED);

        assertThatThrownBy(() -> px.driver.createClone("r1", Source.volumes(NODES)))
                .isInstanceOf(StorageException.class);
        assertThat(px.peer.derivedVolumes()).isEmpty();
    }

    @Test
    void aGroupSnapshotWhoseAnswerWasLostIsFoundByItsLabelsAndNotTakenTwice() throws Exception {
        px.peer.faults().loseAnswer("POST", "/v1/osd-snapshot/snapshotgroup", 1);

        Clone clone = px.driver.createClone("r1", Source.volumes(NODES));

        assertThat(px.peer.groupSnapshotRequests()).isEqualTo(1);
        assertThat(px.peer.journal().stream().filter(m -> m.path().startsWith("/v1/osd-snapshot")).count())
                .as("one snapshot per volume, once").isEqualTo(3);
        assertThat(clone.description()).contains("one group snapshot");
        px.driver.deleteClone(clone);
        assertThat(px.peer.derivedVolumes()).isEmpty();
    }

    @Test
    void aRunMovedToAnotherAgentDetachesEveryNodesClone() throws Exception {
        Clone clone = px.driver.createClone("r1", Source.volumes(NODES));
        px.peer.attachOn("snapci-r1", "ci-1");
        px.peer.attachOn("snapci-r1-node-3", "ci-1");

        px.driver.releaseForAnotherNode(clone);

        assertThat(px.peer.attachedOn("snapci-r1")).isNull();
        assertThat(px.peer.attachedOn("snapci-r1-node-3")).isNull();
        px.driver.deleteClone(clone);
        assertThat(px.peer.derivedVolumes()).isEmpty();
    }

    @Test
    void garbageCollectionDeletesEveryNodesCloneOfAnEndedRun() throws Exception {
        px.driver.createClone("r1", Source.volumes(NODES));
        px.clock.advance(java.time.Duration.ofHours(2));

        new PortworxGarbageCollector(px.driver, px.config, run -> io.snapci.scheduler.portworx.RunLookup.State.UNKNOWN,
                px.clock).collect();

        assertThat(px.peer.derivedVolumes()).isEmpty();
    }

    // ---- maxAge: a schedule's complete cut of exactly these volumes is reused ----

    private io.snapci.scheduler.portworx.schedule.SnapshotSchedules scheduleOf(String volumes) {
        var schedules = new io.snapci.scheduler.portworx.schedule.SnapshotSchedules(px.driver,
                new io.snapci.scheduler.core.testkit.InMemoryScheduleStore(), px.clock);
        schedules.add(io.snapci.scheduler.core.schedule.SnapshotSchedule.every("nodes", volumes,
                java.time.Duration.ofHours(1), new io.snapci.scheduler.core.schedule.Retention(3, null)));
        return schedules;
    }

    private static Source withMaxAge(List<String> volumes, java.time.Duration maxAge) {
        return new Source(null, null, maxAge, null, volumes, null);
    }

    @Test
    void aRunWithMaxAgeClonesTheNewestCompleteScheduledCutAndRecordsWhichCutItsAgeAndSpread() throws Exception {
        var schedules = scheduleOf(String.join(",", NODES));
        java.time.Instant t0 = px.clock.instant();
        schedules.tick();
        px.clock.advance(java.time.Duration.ofMinutes(20));
        String cut = "snapci-sched-nodes-" + t0.getEpochSecond();
        List<String> cutSnapshots = px.peer.derivedVolumes();

        Clone clone = px.driver.createClone("r1", withMaxAge(NODES, java.time.Duration.ofHours(1)));

        assertThat(px.peer.groupSnapshotRequests()).as("no cut taken for the run").isEqualTo(1);
        assertThat(clone.description()).contains("reused scheduled cut " + cut, "schedule 'nodes'",
                "one group snapshot", "20 min 0 s old");
        assertThat(clone.dataTakenAt()).isEqualTo(t0);
        assertThat(clone.snapshotSpreadMillis()).isZero();
        for (int n = 1; n <= 3; n++) {
            Map<String, String> labels = px.peer.labelsOf(px.peer.idOfName(n == 1 ? "snapci-r1" : "snapci-r1-node-" + n));
            assertThat(labels).containsEntry(Labels.SOURCE, sourceIds.get(n - 1));
            String parent = labels.get(Labels.SNAPSHOT);
            assertThat(cutSnapshots).contains(parent);
            assertThat(px.peer.labelsOf(parent)).as("node " + n + " is cloned from its own volume's snapshot")
                    .containsEntry(Labels.SOURCE, sourceIds.get(n - 1)).containsEntry(Labels.GROUP, cut);
        }

        px.driver.deleteClone(clone);
        assertThat(px.peer.derivedVolumes()).as("the run's clones go, the schedule's cut stays")
                .containsExactlyInAnyOrderElementsOf(cutSnapshots);
    }

    @Test
    void aSequentialScheduledCutIsReusedWithTheSpreadBetweenItsSnapshots() throws Exception {
        px.peer.groupSnapshots(GroupSnapshots.NOT_SUPPORTED);
        var schedules = scheduleOf("app=cassandra-prod");
        schedules.tick();

        Clone clone = px.driver.createClone("r1", Source.volumesSelector("app=cassandra-prod"));
        assertThat(clone.description()).as("no maxAge: a fresh cut").doesNotContain("reused");
        px.driver.deleteClone(clone);

        Clone reused = px.driver.createClone("r2", new Source(null, null, java.time.Duration.ofHours(1), null, null,
                "app=cassandra-prod"));
        assertThat(reused.description()).contains("reused scheduled cut", "3 snapshots one after the other",
                "spread 0 ms");
        assertThat(reused.snapshotSpreadMillis()).isZero();
        px.driver.deleteClone(reused);
    }

    @Test
    void aCutTooOldOrNotOfExactlyTheRunsVolumesIsNotReusedAFreshCutIsTaken() throws Exception {
        scheduleOf("cassandra-0,cassandra-1").tick(); // two of the three nodes only
        Clone partial = px.driver.createClone("r1", withMaxAge(NODES, java.time.Duration.ofHours(1)));
        assertThat(partial.description()).doesNotContain("reused").contains("one group snapshot");
        px.driver.deleteClone(partial);

        var all = scheduleOf(String.join(",", NODES));
        all.tick();
        px.clock.advance(java.time.Duration.ofMinutes(90));
        long before = px.peer.groupSnapshotRequests();
        Clone stale = px.driver.createClone("r2", withMaxAge(NODES, java.time.Duration.ofHours(1)));
        assertThat(stale.description()).as("the cut is 90 min old, maxAge 1 h").doesNotContain("reused");
        assertThat(px.peer.groupSnapshotRequests()).isEqualTo(before + 1);
        assertThat(stale.dataTakenAt()).isEqualTo(px.clock.instant());
        px.driver.deleteClone(stale);
    }

    // ---- a crash between the group snapshot and its labelling ----

    @Test
    void aRunsGroupSnapshotLeftUnlabelledByACrashIsLabelledAndCollectedOnceTheRunIsOver() throws Exception {
        var names = px.driver.names();
        String group = names.group("r9");
        // what a scheduler that died right after the group request left: the request's labels only, no source
        Map<String, String> made = px.driver.client().snapshotGroup(group, Labels.groupSnapshot("r9", group),
                sourceIds);
        assertThat(made).hasSize(3);
        made.values().forEach(id -> assertThat(px.peer.labelsOf(id)).doesNotContainKey(Labels.SOURCE));
        var gc = new PortworxGarbageCollector(px.driver, px.config,
                run -> run.equals("r9") ? io.snapci.scheduler.portworx.RunLookup.State.ACTIVE
                        : io.snapci.scheduler.portworx.RunLookup.State.UNKNOWN, px.clock);
        px.clock.advance(java.time.Duration.ofHours(2));
        gc.collect();
        assertThat(px.peer.derivedVolumes()).as("run r9 is still active: kept").hasSize(3);

        new PortworxGarbageCollector(px.driver, px.config,
                run -> io.snapci.scheduler.portworx.RunLookup.State.UNKNOWN, px.clock).collect();

        assertThat(px.peer.derivedVolumes()).as("the left-over cut is gone").isEmpty();
    }

    @Test
    void aSnapshotCarryingAGroupRequestsLabelsButNotMadeFromAProductionVolumeIsNeverCollected() throws Exception {
        Clone clone = px.driver.createClone("r1", Source.volumes(NODES));
        px.driver.deleteClone(clone);
        String writable = px.peer.addVolume("operators-volume", Map.of(), 1L << 30);
        // snapshots that look like run r9's unlabelled group snapshot: of snapci's own work, and of another group
        String ofOwn = px.peer.plant("looks-like-r9", writable, true, Labels.groupSnapshot("r9", "snapci-r9-group"),
                px.clock.instant());
        px.peer.plant("other-snap", ofOwn, true, Labels.groupSnapshot("r9", "snapci-r9-group"), px.clock.instant());
        String wrongGroup = px.peer.plant("wrong-group", sourceIds.get(0), true,
                Labels.groupSnapshot("r9", "snapci-r8-group"), px.clock.instant());
        px.clock.advance(java.time.Duration.ofHours(2));

        new PortworxGarbageCollector(px.driver, px.config,
                run -> io.snapci.scheduler.portworx.RunLookup.State.UNKNOWN, px.clock).collect();

        assertThat(px.peer.stateOf(wrongGroup)).as("not the group id snapci gives run r9").isNotNull();
        assertThat(px.peer.stateOf(px.peer.idOfName("other-snap"))).as("made from a snapshot, not production")
                .isNotNull();
    }

    @Test
    void aServerThatIgnoresTheGroupRequestsLabelsStillGivesProvenLabelledSnapshotsForARunAndASchedule()
            throws Exception {
        px.peer.groupSnapshotsIgnoreLabels();

        Clone clone = px.driver.createClone("r1", Source.volumes(NODES));
        assertThat(clone.description()).contains("one group snapshot");
        assertThat(px.peer.derivedVolumes().stream().map(px.peer::labelsOf)
                .filter(l -> "snapshot".equals(l.get(Labels.KIND))).toList())
                .as("labelled from the answer to snapci's own request").hasSize(3)
                .allSatisfy(l -> assertThat(l).containsEntry(Labels.GROUP, "snapci-r1-group")
                        .containsEntry(Labels.RUN, "r1").containsKey(Labels.SOURCE));
        px.driver.deleteClone(clone);
        assertThat(px.peer.derivedVolumes()).isEmpty();

        scheduleOf(String.join(",", NODES)).tick();
        assertThat(px.driver.scheduledCuts().cutsOf("nodes")).singleElement()
                .satisfies(c -> assertThat(c.snapshots()).hasSize(3));
    }
}
