package io.snapci.tests.portworx;

import io.snapci.model.Source;
import io.snapci.scheduler.core.storage.Clone;
import io.snapci.scheduler.core.storage.StorageException;
import io.snapci.scheduler.core.storage.StorageException.Kind;
import io.snapci.scheduler.portworx.CiTier;
import io.snapci.scheduler.portworx.Labels;
import io.snapci.scheduler.portworx.schedule.SnapshotSchedules;
import io.snapci.scheduler.portworx.sdk.GrpcCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Portworx driver on the SDK peer: labels and tier, freshness, idempotent retries, every error leaking nothing. */
class PortworxDriverTest {

    private PortworxFixture px;
    private String before;

    @BeforeEach
    void setUp() throws Exception {
        px = new PortworxFixture();
        before = px.sourceState();
    }

    @AfterEach
    void tearDown() {
        assertThat(px.sourceState()).as("the source volume is never changed").isEqualTo(before);
        px.close();
    }

    @Test
    void aRunGetsASnapshotAndALabelledCloneOnTheCiTierMountedByName() throws Exception {
        Clone clone = px.driver.createClone("r1", Source.volume("cassandra-prod"));

        assertThat(clone.volumeName()).isEqualTo("snapci-r1");
        assertThat(clone.source()).isEqualTo("cassandra-prod");
        assertThat(clone.dataTakenAt()).isEqualTo(px.clock.instant());
        assertThat(clone.description()).contains("snapci-r1-snap", "snapshot taken for this run", "cos LOW");
        String snapId = px.peer.idOfName("snapci-r1-snap");
        assertThat(px.peer.labelsOf(snapId)).containsEntry(Labels.CREATED_BY, "snapci")
                .containsEntry(Labels.RUN, "r1").containsEntry(Labels.SOURCE, px.sourceId);
        assertThat(px.peer.labelsOf(clone.id())).containsEntry(Labels.CREATED_BY, "snapci")
                .containsEntry(Labels.KIND, "clone").containsEntry(Labels.RUN, "r1")
                .containsEntry(Labels.SNAPSHOT, snapId).containsEntry(Labels.SOURCE_NAME, "cassandra-prod");
        assertThat(px.peer.stateOf(clone.id())).contains("parent=" + snapId, "readonly=false", "cos=LOW",
                "io=IO_PROFILE_SEQUENTIAL").containsPattern("replicas=\\[ci-[12], ci-[12]\\]");

        px.driver.deleteClone(clone);
        assertThat(px.peer.derivedVolumes()).isEmpty();
    }

    @Test
    void aRunMovedToAnotherNodeDetachesItsCloneFromTheLostOneAndAnAttachedCloneIsDetachedBeforeItIsDeleted()
            throws Exception {
        Clone clone = px.driver.createClone("r1", Source.volume("cassandra-prod"));
        px.driver.releaseForAnotherNode(clone);
        assertThat(px.peer.journal()).as("nothing to detach while it is attached nowhere")
                .noneMatch(m -> m.path().equals("/v1/mountattach/detach"));

        px.peer.attachOn(clone.id(), "ci-1");
        px.driver.releaseForAnotherNode(clone);
        assertThat(px.peer.attachedOn(clone.id())).isNull();
        assertThat(px.peer.journal()).contains(new OpenStorageSdkPeer.Mutation("POST", "/v1/mountattach/detach",
                clone.id()));

        px.peer.attachOn(clone.id(), "ci-2");
        px.driver.deleteClone(clone);
        assertThat(px.peer.derivedVolumes()).isEmpty();
    }

    @Test
    void aVolumeThatIsNotTheRunsCloneIsNeverDetachedWhateverItsName() throws Exception {
        String users = px.peer.plant("snapci-r9", px.sourceId, false, Map.of("app", "shop"),
                px.clock.instant());
        px.peer.attachOn(users, "prod-1");
        Clone claimed = new Clone(users, "r9", "cassandra-prod", null, "snapci-r9", px.clock.instant(), "forged");

        assertThatThrownBy(() -> px.driver.releaseForAnotherNode(claimed)).isInstanceOf(StorageException.class)
                .hasMessageContaining("not going to detach");
        assertThat(px.peer.attachedOn(users)).isEqualTo("prod-1");
        assertThat(px.peer.journal()).noneMatch(m -> m.target().equals(users));
    }

    @Test
    void aYoungEnoughScheduledSnapshotIsReusedAndAnOldOneIsNot() throws Exception {
        SnapshotSchedules schedules = px.schedules(PortworxFixture.hourly(3));
        schedules.tick();
        String scheduled = px.peer.derivedVolumes().get(0);
        px.clock.advance(Duration.ofMinutes(20));

        Clone reusing = px.driver.createClone("r1", Source.volume("cassandra-prod", Duration.ofMinutes(30)));
        assertThat(px.peer.stateOf(reusing.id())).contains("parent=" + scheduled);
        assertThat(reusing.description()).contains("reused scheduled snapshot 'hourly'", "20 min 0 s old");
        assertThat(reusing.dataTakenAt()).isEqualTo(px.clock.instant().minus(Duration.ofMinutes(20)));
        assertThat(px.peer.idOfName("snapci-r1-snap")).as("no snapshot taken for the run").isNull();

        Clone fresh = px.driver.createClone("r2", Source.volume("cassandra-prod", Duration.ofMinutes(10)));
        assertThat(px.peer.stateOf(fresh.id())).contains("parent=" + px.peer.idOfName("snapci-r2-snap"));
        assertThat(fresh.dataTakenAt()).isEqualTo(px.clock.instant());

        Clone defaultFresh = px.driver.createClone("r3", Source.volume("cassandra-prod"));
        assertThat(defaultFresh.description()).contains("snapshot taken for this run");

        px.driver.deleteClone(reusing);
        assertThat(px.peer.stateOf(scheduled)).as("a scheduled snapshot outlives the runs using it").isNotNull();
        px.driver.deleteClone(fresh);
        px.driver.deleteClone(defaultFresh);
        assertThat(px.peer.derivedVolumes()).containsExactly(scheduled);
    }

    @Test
    void lostAnswersAreRetriedWithoutMakingSecondVolumes() throws Exception {
        px.peer.faults().loseAnswer("POST", "/v1/volumes/snapshots", 1).loseAnswer("POST", "/v1/volumes/clone", 1)
                .loseAnswer("PUT", "/v1/volumes/", 1);
        Clone clone = px.driver.createClone("r1", Source.volume("cassandra-prod"));
        assertThat(px.peer.derivedVolumes()).hasSize(2);
        assertThat(px.peer.labelsOf(clone.id())).containsEntry(Labels.RUN, "r1");
        px.driver.deleteClone(clone);
        assertThat(px.peer.derivedVolumes()).isEmpty();
    }

    @Test
    void fiveHundredsAreRetriedThenTheRunFailsUnavailableWithPortworxsMessageAndNothingLeaks() {
        px.peer.faults().fail("POST", "/v1/volumes/clone", 100, GrpcCode.INTERNAL, "kvdb: etcd cluster unavailable");
        assertThatThrownBy(() -> px.driver.createClone("r1", Source.volume("cassandra-prod")))
                .isInstanceOfSatisfying(StorageException.class, e -> {
                    assertThat(e.kind()).isEqualTo(Kind.UNAVAILABLE);
                    assertThat(e.getMessage()).contains("kvdb: etcd cluster unavailable", "pxctl status");
                });
        assertThat(px.peer.derivedVolumes()).as("the run's snapshot is deleted again").isEmpty();
    }

    @Test
    void timeoutsAreRetriedThenUnavailable() {
        px.peer.faults().hangFor(Duration.ofMillis(800)).hang("POST", "/v1/volumes/snapshots", 10);
        assertThatThrownBy(() -> px.driver.createClone("r1", Source.volume("cassandra-prod")))
                .isInstanceOfSatisfying(StorageException.class, e -> {
                    assertThat(e.kind()).isEqualTo(Kind.UNAVAILABLE);
                    assertThat(e.getMessage()).contains("DEADLINE_EXCEEDED");
                });
        px.peer.faults().clear();
        // a hung call may still have been served by the peer: the run's own snapshot is the only possible leftover,
        // labelled, and GC takes it (see PortworxGarbageCollectorTest)
        assertThat(px.peer.derivedVolumes()).allSatisfy(id ->
                assertThat(px.peer.labelsOf(id)).containsEntry(Labels.RUN, "r1"));
    }

    /** Finding 3: the SDK wraps the driver's "no space" as Internal (snapshot) or Aborted (clone), not 429. */
    @Test
    void aFullPoolIsNoSpaceNotUnavailableWhateverCodeTheSdkWrapsItIn() {
        for (String op : List.of("snapshot", "clone")) {
            // once: a retry would succeed, and the run with it, so a full pool must not be retried
            px.peer.faults().clear().driverFails(op, 1, "not enough space in storage pool");
            assertThatThrownBy(() -> px.driver.createClone("r1", Source.volume("cassandra-prod")))
                    .as(op).isInstanceOfSatisfying(StorageException.class, e -> {
                        assertThat(e.kind()).isEqualTo(Kind.NO_SPACE);
                        assertThat(e.getMessage()).contains("not enough space in storage pool", "Free space",
                                op.equals("clone") ? "ABORTED" : "INTERNAL");
                    });
            assertThat(px.peer.derivedVolumes()).isEmpty();
        }
    }

    /** Finding 3: the snapshot cap is a driver failure too (Internal); it is reported as the limit it is. */
    @Test
    void theSnapshotCapIsNoSpaceWithTheCount() throws Exception {
        px.close();
        px = new PortworxFixture();
        before = px.sourceState();
        px.peer.snapshotCap(1);
        px.peer.plant("operators-own", px.sourceId, true, Map.of(), px.clock.instant());
        var config = px.config.withSnapshotCap(1);
        var driver = new io.snapci.scheduler.portworx.PortworxDriver(config,
                new io.snapci.scheduler.portworx.sdk.OpenStorageClient(config.sdk(), d -> { }), px.clock);
        assertThatThrownBy(() -> driver.createClone("r1", Source.volume("cassandra-prod")))
                .isInstanceOfSatisfying(StorageException.class, e -> {
                    assertThat(e.kind()).isEqualTo(Kind.NO_SPACE);
                    assertThat(e.getMessage()).contains("limit of 1 snapshots");
                });
    }

    /**
     * Finding 3: SnapshotCreate does not refuse a duplicate name; a lost answer followed by a blind retry would
     * make a second snapshot of the same name and leave the name unresolvable.
     */
    @Test
    void aLostSnapshotAnswerIsNotRetriedBlindlySoNoSecondSnapshotOfTheSameNameIsMade() throws Exception {
        px.peer.faults().loseAnswer("POST", "/v1/volumes/snapshots", 3);
        Clone clone = px.driver.createClone("r1", Source.volume("cassandra-prod"));
        assertThat(px.peer.journal()).filteredOn(m -> m.path().equals("/v1/volumes/snapshots")).hasSize(1);
        assertThat(px.peer.idOfName("snapci-r1-snap")).isNotNull();
        px.driver.deleteClone(clone);
        assertThat(px.peer.derivedVolumes()).isEmpty();
    }

    /** The create is sent once per try; a try that failed without making anything is tried again after a look. */
    @Test
    void aSnapshotCreateThatFailedIsTriedAgainAfterItsNameIsLookedUp() throws Exception {
        px.peer.faults().fail("POST", "/v1/volumes/snapshots", 2, GrpcCode.UNAVAILABLE, "px restarting");
        Clone clone = px.driver.createClone("r1", Source.volume("cassandra-prod"));
        assertThat(px.peer.journal()).filteredOn(m -> m.path().equals("/v1/volumes/snapshots")).hasSize(1);
        assertThat(px.peer.stateOf(clone.id())).contains("parent=" + px.peer.idOfName("snapci-r1-snap"));
        px.driver.deleteClone(clone);
    }

    /** Finding 3: a volume holding the run's clone name, made from anything, is a conflict and stays as it was. */
    @Test
    void aCloneNameSquatterIsAConflictNotUnavailableAndIsNeverAdopted() throws Exception {
        SnapshotSchedules schedules = px.schedules(PortworxFixture.hourly(3));
        schedules.tick();
        // a user's clone of the scheduled snapshot under the name run r1's clone will have
        String squatter = new io.snapci.scheduler.portworx.sdk.OpenStorageClient(
                io.snapci.scheduler.portworx.sdk.SdkConfig.of(px.peer.endpoint()), d -> { })
                .clone("snapci-r1", px.peer.derivedVolumes().get(0));
        String state = px.peer.stateOf(squatter);
        assertThatThrownBy(() -> px.driver.createClone("r1", Source.volume("cassandra-prod", Duration.ofHours(1))))
                .isInstanceOfSatisfying(StorageException.class, e -> {
                    assertThat(e.kind()).isEqualTo(Kind.CONFLICT);
                    assertThat(e.getMessage()).contains("snapci-r1", "taken");
                });
        assertThat(px.peer.stateOf(squatter)).isEqualTo(state);
        assertThat(px.peer.journal()).noneMatch(m -> m.target().equals(squatter));
    }

    /** Finding 5: a plain-text 404 is the gateway not serving the path, not a volume that is gone. */
    @Test
    void aGatewayThatDoesNotServeAPathIsNotTakenForAVolumeThatIsGone() throws Exception {
        Clone clone = px.driver.createClone("r1", Source.volume("cassandra-prod"));
        var wrong = io.snapci.scheduler.portworx.sdk.SdkConfig.of(px.peer.endpoint().resolve("/v0/"));
        var driver = new io.snapci.scheduler.portworx.PortworxDriver(px.config,
                new io.snapci.scheduler.portworx.sdk.OpenStorageClient(wrong, d -> { }), px.clock);
        assertThatThrownBy(() -> driver.deleteClone(clone)).isInstanceOfSatisfying(StorageException.class, e -> {
            assertThat(e.kind()).isEqualTo(Kind.INTERNAL);
            assertThat(e.getMessage()).contains("does not serve");
        });
        assertThat(px.peer.stateOf(clone.id())).isNotNull();
        px.driver.deleteClone(clone);
    }

    @Test
    void permissionDeniedAndBadTokensArePermissionDenied() {
        px.peer.requireToken("right");
        assertThatThrownBy(() -> px.driver.createClone("r1", Source.volume("cassandra-prod")))
                .isInstanceOfSatisfying(StorageException.class, e -> {
                    assertThat(e.kind()).isEqualTo(Kind.PERMISSION_DENIED);
                    assertThat(e.getMessage()).contains("Request unauthenticated", "token");
                });
        assertThat(px.peer.derivedVolumes()).isEmpty();
    }

    @Test
    void aNameTakenByAnotherVolumeIsAConflictAndTheOtherVolumeStays() throws Exception {
        String squatter = px.peer.addVolume("snapci-r1-snap", Map.of(), 1L << 30);
        String state = px.peer.stateOf(squatter);
        assertThatThrownBy(() -> px.driver.createClone("r1", Source.volume("cassandra-prod")))
                .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.kind()).isEqualTo(Kind.CONFLICT));
        assertThat(px.peer.stateOf(squatter)).isEqualTo(state);
        assertThat(px.peer.derivedVolumes()).isEmpty();
    }

    @Test
    void aCiTierWithoutMatchingNodesIsRefusedWithAdviceAndNothingLeaks() throws Exception {
        px.close();
        px = new PortworxFixture(new CiTier("LOW", null, Map.of("snapci/tier", "nowhere"), Map.of()));
        before = px.sourceState();
        assertThatThrownBy(() -> px.driver.createClone("r1", Source.volume("cassandra-prod")))
                .isInstanceOfSatisfying(StorageException.class, e -> {
                    assertThat(e.kind()).isEqualTo(Kind.REFUSED);
                    assertThat(e.getMessage()).contains("label the CI nodes");
                });
        assertThat(px.peer.derivedVolumes()).isEmpty();
    }

    @Test
    void deletingAVolumeWithoutSnapcisLabelIsRefused() throws Exception {
        String other = px.peer.addVolume("someone-elses", Map.of(), 1L << 30);
        Clone forged = new Clone(other, "r1", null, null, "someone-elses", null, "forged");
        assertThatThrownBy(() -> px.driver.deleteClone(forged)).isInstanceOfSatisfying(StorageException.class, e -> {
            assertThat(e.kind()).isEqualTo(Kind.REFUSED);
            assertThat(e.getMessage()).contains("lacks snapci's labels");
        });
        assertThat(px.peer.stateOf(other)).isNotNull();
    }

    @Test
    void aSnapciCopyOrASnapshotIsNotAValidSource() throws Exception {
        Clone clone = px.driver.createClone("r1", Source.volume("cassandra-prod"));
        assertThatThrownBy(() -> px.driver.createClone("r2", Source.volume("snapci-r1")))
                .isInstanceOfSatisfying(StorageException.class,
                        e -> assertThat(e.kind()).isEqualTo(Kind.INVALID_SOURCE));
        assertThatThrownBy(() -> px.driver.createClone("r2", Source.volume("snapci-r1-snap")))
                .isInstanceOfSatisfying(StorageException.class,
                        e -> assertThat(e.kind()).isEqualTo(Kind.INVALID_SOURCE));
        px.driver.deleteClone(clone);
    }
}
