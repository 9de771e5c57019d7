package io.snapci.tests.portworx;

import io.snapci.model.Source;
import io.snapci.scheduler.core.storage.Clone;
import io.snapci.scheduler.core.storage.StorageException;
import io.snapci.scheduler.core.storage.StorageException.Kind;
import io.snapci.scheduler.portworx.CiTier;
import io.snapci.scheduler.portworx.GcReport;
import io.snapci.scheduler.portworx.Labels;
import io.snapci.scheduler.portworx.PortworxGarbageCollector;
import io.snapci.scheduler.portworx.RunLookup;
import io.snapci.scheduler.portworx.schedule.SnapshotSchedules;
import io.snapci.scheduler.portworx.sdk.GrpcCode;
import io.snapci.scheduler.portworx.sdk.OpenStorageClient;
import io.snapci.scheduler.portworx.sdk.SdkConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 12's findings, each against the peer that now behaves as the real SDK server: ownership is proven by name,
 * shape, parent and labels, since any clone of a snapci volume inherits snapci's labels; cleanup deletes clones before
 * their snapshots and never a snapshot something is made from; a run's clone is labelled at creation.
 */
class PortworxOwnershipTest {

    private PortworxFixture px;
    private PortworxGarbageCollector gc;
    private String sourceBefore;

    @BeforeEach
    void setUp() throws Exception {
        px = new PortworxFixture();
        gc = new PortworxGarbageCollector(px.driver, px.config, run -> RunLookup.State.FINISHED, px.clock);
        sourceBefore = px.sourceState();
    }

    @AfterEach
    void tearDown() {
        assertThat(px.sourceState()).isEqualTo(sourceBefore);
        px.close();
    }

    /** Finding 1: a user's clone of a run's clone or snapshot inherits created-by=snapci and the run id. */
    @Test
    void clonesInheritTheirParentsLabelsSoAUsersCloneOfSnapcisVolumesIsNeverTouched() throws Exception {
        Clone run = px.driver.createClone("r1", Source.volume("cassandra-prod"));
        OpenStorageClient user = new OpenStorageClient(SdkConfig.of(px.peer.endpoint()), d -> { });
        String ofClone = user.clone("analytics", run.id());
        String ofSnapshot = user.clone("reporting", px.peer.idOfName("snapci-r1-snap"));
        String snapOfClone = user.snapshotCreate(run.id(), "analytics-snap", Map.of());
        assertThat(px.peer.labelsOf(ofClone)).as("the premise: inherited labels")
                .containsEntry(Labels.CREATED_BY, "snapci").containsEntry(Labels.RUN, "r1")
                .containsEntry(Labels.KIND, "clone");
        List<String> users = List.of(ofClone, ofSnapshot, snapOfClone);
        List<String> before = users.stream().map(px.peer::stateOf).toList();

        for (String id : users) {
            assertThatThrownBy(() -> px.driver.deleteClone(new Clone(id, "r1", "cassandra-prod", null, "x", null,
                    "forged"))).isInstanceOfSatisfying(StorageException.class,
                            e -> assertThat(e.kind()).isEqualTo(Kind.REFUSED));
        }
        assertThat(px.driver.listClones()).extracting(Clone::id).containsExactly(run.id());
        px.clock.advance(Duration.ofHours(2));
        GcReport report = gc.collect();
        assertThat(report.deleted()).containsExactly("snapci-r1");
        assertThat(report.failures()).singleElement().asString().contains("snapci-r1-snap", "kept");
        px.driver.deleteClone(run);

        assertThat(users.stream().map(px.peer::stateOf).toList()).isEqualTo(before);
        assertThat(px.peer.journal()).noneMatch(m -> users.contains(m.target()));
        assertThat(px.peer.idOfName("snapci-r1-snap")).as("its snapshot stays while the user's clone needs it")
                .isNotNull();
    }

    /**
     * Finding 2: a clone of a scheduled snapshot inherits its schedule's labels; on a server that ignores
     * additional_labels and with the label update failing, the run's cleanup, GC and retention must still end it.
     */
    @Test
    void aCloneOfAScheduledSnapshotThatKeptItsInheritedLabelsDoesNotLeak() throws Exception {
        px.peer.withoutAdditionalLabels();
        SnapshotSchedules schedules = px.schedules(PortworxFixture.hourly(1));
        schedules.tick();
        String scheduled = px.peer.derivedVolumes().get(0);
        px.peer.faults().fail("PUT", "/v1/volumes/", 100, GrpcCode.UNAVAILABLE, "px restarting")
                .fail("DELETE", "/v1/volumes/", 100, GrpcCode.UNAVAILABLE, "px restarting");
        assertThatThrownBy(() -> px.driver.createClone("r1", Source.volume("cassandra-prod", Duration.ofHours(1))))
                .isInstanceOf(StorageException.class);
        String left = px.peer.idOfName("snapci-r1");
        assertThat(px.peer.labelsOf(left)).as("the premise: only inherited labels")
                .containsEntry(Labels.SCHEDULE, "hourly").containsEntry(Labels.KIND, "snapshot");
        px.peer.faults().clear();

        px.clock.advance(Duration.ofHours(2));
        schedules.tick();
        assertThat(px.peer.stateOf(scheduled)).as("retention keeps a snapshot the leftover is made from").isNotNull();
        assertThat(gc.collect().deleted()).containsExactly("snapci-r1");
        px.clock.advance(Duration.ofHours(1));
        schedules.tick();
        assertThat(px.peer.stateOf(scheduled)).isNull();
        assertThat(px.peer.derivedVolumes()).allSatisfy(id ->
                assertThat(px.peer.labelsOf(id)).containsEntry(Labels.SCHEDULE, "hourly"));
    }

    /**
     * Finding 4: after a failed label update the run's snapshot must not be deleted under its still-unlabelled
     * clone (the SDK would allow it, and the clone could then never be proven snapci's by its parent).
     */
    @Test
    void aFailedLabelUpdateNeverDeletesTheSnapshotUnderItsCloneAndGcEndsBoth() throws Exception {
        px.peer.withoutAdditionalLabels();
        px.peer.faults().fail("PUT", "/v1/volumes/", 100, GrpcCode.UNAVAILABLE, "px restarting");
        assertThatThrownBy(() -> px.driver.createClone("r1", Source.volume("cassandra-prod")))
                .isInstanceOf(StorageException.class);
        String clone = px.peer.idOfName("snapci-r1");
        String snap = px.peer.idOfName("snapci-r1-snap");
        assertThat(clone).isNotNull();
        assertThat(px.peer.stateOf(snap)).as("kept: its clone is still there").isNotNull();
        assertThat(px.peer.journal()).noneMatch(m -> m.method().equals("DELETE") && m.target().equals(snap));
        px.peer.faults().clear();

        px.clock.advance(Duration.ofHours(1));
        assertThat(gc.collect().deleted()).containsExactly("snapci-r1", "snapci-r1-snap");
        assertThat(px.peer.derivedVolumes()).isEmpty();
    }

    /** Finding 4, with labels at creation: the clone is proven at once, cleanup deletes it, then its snapshot. */
    @Test
    void aFailedTierUpdateDeletesTheLabelledCloneFirstThenItsSnapshot() throws Exception {
        px.peer.faults().fail("PUT", "/v1/volumes/", 100, GrpcCode.UNAVAILABLE, "px restarting");
        assertThatThrownBy(() -> px.driver.createClone("r1", Source.volume("cassandra-prod")))
                .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.kind()).isEqualTo(Kind.UNAVAILABLE));
        assertThat(px.peer.derivedVolumes()).isEmpty();
        List<String> deletes = px.peer.journal().stream().filter(m -> m.method().equals("DELETE"))
                .map(OpenStorageSdkPeer.Mutation::target).toList();
        assertThat(deletes).hasSize(2);
        assertThat(px.peer.journal()).filteredOn(m -> m.path().equals("/v1/volumes/clone")).singleElement()
                .satisfies(m -> assertThat(m.target()).endsWith("->" + deletes.get(0)));
    }

    /** GC finds a run's clone whose parent snapshot is gone, labelled or left with inherited labels only. */
    @Test
    void gcFindsARunsCloneWhoseParentIsGone() throws Exception {
        Clone labelled = px.driver.createClone("r1", Source.volume("cassandra-prod"));
        px.peer.withoutAdditionalLabels();
        px.peer.faults().fail("PUT", "/v1/volumes/", 100, GrpcCode.UNAVAILABLE, "scheduler died")
                .fail("DELETE", "/v1/volumes/", 100, GrpcCode.UNAVAILABLE, "scheduler died");
        assertThatThrownBy(() -> px.driver.createClone("r2", Source.volume("cassandra-prod")))
                .isInstanceOf(StorageException.class);
        px.peer.faults().clear();
        OpenStorageClient operator = new OpenStorageClient(SdkConfig.of(px.peer.endpoint()), d -> { });
        operator.delete(px.peer.idOfName("snapci-r1-snap")); // allowed by the SDK, clones or not
        operator.delete(px.peer.idOfName("snapci-r2-snap"));
        assertThat(px.peer.stateOf(labelled.id())).isNotNull();

        px.clock.advance(Duration.ofHours(1));
        assertThat(gc.collect().deleted()).containsExactlyInAnyOrder("snapci-r1", "snapci-r2");
        assertThat(px.peer.derivedVolumes()).isEmpty();
    }

    /** Finding 6: additional_labels on clone labels the run's clone at creation; no update is needed for it. */
    @Test
    void additionalLabelsLabelTheCloneAtCreationAndOlderServersGetTheUpdate() throws Exception {
        px.close();
        px = new PortworxFixture(new CiTier(null, null, Map.of(), Map.of()));
        sourceBefore = px.sourceState();
        Clone clone = px.driver.createClone("r1", Source.volume("cassandra-prod"));
        assertThat(px.peer.labelsOf(clone.id())).containsEntry(Labels.KIND, "clone").containsEntry(Labels.RUN, "r1")
                .doesNotContainKey(Labels.SCHEDULE);
        assertThat(px.peer.journal()).as("labelled by the clone call itself").noneMatch(m -> m.method().equals("PUT"));

        px.peer.withoutAdditionalLabels();
        Clone old = px.driver.createClone("r2", Source.volume("cassandra-prod"));
        assertThat(px.peer.labelsOf(old.id())).containsEntry(Labels.KIND, "clone").containsEntry(Labels.RUN, "r2");
        assertThat(px.peer.journal()).filteredOn(m -> m.method().equals("PUT")).extracting(OpenStorageSdkPeer.Mutation::target)
                .containsExactly(old.id());
        px.driver.deleteClone(clone);
        px.driver.deleteClone(old);
        assertThat(px.peer.derivedVolumes()).isEmpty();
    }

    /** A look-alike: someone's volume with snapci's exact labels but not snapci's name or shape is left alone. */
    @Test
    void aVolumeLabelledLikeSnapcisButNotNamedOrShapedLikeItIsNeverTouched() throws Exception {
        Clone run = px.driver.createClone("r1", Source.volume("cassandra-prod"));
        Map<String, String> labels = px.peer.labelsOf(run.id());
        String named = px.peer.plant("copy-of-r1", px.peer.idOfName("snapci-r1-snap"), false, labels,
                px.clock.instant());
        String noParent = px.peer.plant("snapci-r7", null, false, Map.of(Labels.CREATED_BY, "snapci", Labels.KIND,
                "clone", Labels.RUN, "r7", Labels.SNAPSHOT, "12345"), px.clock.instant());
        String fakeSnap = px.peer.plant("snapci-r8-snap", px.sourceId, false, Map.of(Labels.CREATED_BY, "snapci",
                Labels.KIND, "snapshot", Labels.RUN, "r8", Labels.SOURCE, px.sourceId), px.clock.instant());
        List<String> theirs = List.of(named, noParent, fakeSnap);
        px.driver.deleteClone(run);
        px.clock.advance(Duration.ofHours(2));
        gc.collect();
        assertThat(px.driver.listClones()).isEmpty();
        assertThat(theirs).allSatisfy(id -> assertThat(px.peer.stateOf(id)).isNotNull());
        assertThat(px.peer.journal()).noneMatch(m -> theirs.contains(m.target()));
    }
}
