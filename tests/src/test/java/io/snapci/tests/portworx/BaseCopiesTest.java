package io.snapci.tests.portworx;

import io.snapci.model.Source;
import io.snapci.scheduler.core.storage.Clone;
import io.snapci.scheduler.core.storage.StorageException;
import io.snapci.scheduler.portworx.BaseCopies;
import io.snapci.scheduler.portworx.BaseCopySchedule;
import io.snapci.scheduler.portworx.Labels;
import io.snapci.scheduler.portworx.PortworxGarbageCollector;
import io.snapci.scheduler.portworx.RunLookup;
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
 * CI-tier base copies (issue 12, last section): a base copy per source refreshed on a schedule, its replicas moved
 * to the CI nodes once; runs clone the newest one their maxAge allows, or fall back to a fresh snapshot.
 */
class BaseCopiesTest {

    private PortworxFixture px;
    private BaseCopies bases;
    private String sourceBefore;

    @BeforeEach
    void setUp() throws Exception {
        px = new PortworxFixture();
        bases = new BaseCopies(px.driver, List.of(new BaseCopySchedule("shop", "cassandra-prod",
                Duration.ofHours(1), 2)), px.clock);
        sourceBefore = px.sourceState();
    }

    @AfterEach
    void tearDown() {
        assertThat(px.sourceState()).as("the source volume is never changed").isEqualTo(sourceBefore);
        px.close();
    }

    private String baseCopyId() {
        return px.peer.volumeIds().stream().filter(id -> "base".equals(px.peer.labelsOf(id).get(Labels.KIND)))
                .filter(id -> px.peer.stateOf(id).contains("name=snapci-base-shop-")).reduce((a, b) -> b).orElseThrow();
    }

    @Test
    void aBaseCopyIsMovedToTheCiTierOnceAndARunClonesItWithoutMovingData() throws Exception {
        assertThat(bases.tick()).anySatisfy(line -> assertThat(line).startsWith("base copy snapci-base-shop-"));
        String base = baseCopyId();
        assertThat(px.peer.stateOf(base)).contains("readonly=false", "cos=LOW", "io=IO_PROFILE_SEQUENTIAL")
                .containsPattern("replicas=\\[ci-[12], ci-[12]\\]");
        assertThat(bases.tick()).as("fresh: nothing to do until the next hour").isEmpty();
        px.clock.advance(Duration.ofMinutes(20));

        int journalBefore = px.peer.journal().size();
        Clone run = px.driver.createClone("r1", Source.volume("cassandra-prod", Duration.ofHours(1)));
        assertThat(px.peer.stateOf(run.id())).contains("parent=" + base, "readonly=false");
        assertThat(px.peer.stateOf(run.id()).replaceAll(".* replicas=", ""))
                .as("on the base copy's CI nodes").isEqualTo(px.peer.stateOf(base).replaceAll(".* replicas=", ""));
        assertThat(px.peer.journal().subList(journalBefore, px.peer.journal().size()))
                .as("one clone call: no snapshot, no replica move, no label update")
                .extracting(OpenStorageSdkPeer.Mutation::path).containsExactly("/v1/volumes/clone");
        assertThat(run.description()).contains("base copy", "snapci-base-shop-", "20 min 0 s old",
                "nothing copied for this run");
        assertThat(run.dataTakenAt()).isEqualTo(px.clock.instant().minus(Duration.ofMinutes(20)));
        assertThat(px.peer.labelsOf(run.id())).containsEntry(Labels.BASE_COPY, base)
                .doesNotContainKey(Labels.BASE).containsEntry(Labels.KIND, "clone");

        px.driver.deleteClone(run);
        assertThat(px.peer.stateOf(base)).as("the base copy outlives its runs").isNotNull();
    }

    @Test
    void aRunAskingForFresherDataThanAnyBaseCopyClonesAFreshSnapshot() throws Exception {
        bases.tick();
        px.clock.advance(Duration.ofMinutes(40));
        Clone direct = px.driver.createClone("r1", Source.volume("cassandra-prod", Duration.ofMinutes(30)));
        assertThat(px.peer.stateOf(direct.id())).contains("parent=" + px.peer.idOfName("snapci-r1-snap"));
        assertThat(direct.description()).contains("snapshot taken for this run");
        assertThat(direct.dataTakenAt()).isEqualTo(px.clock.instant());
        px.driver.deleteClone(direct);
    }

    @Test
    void retentionKeepsTheNewestBaseCopiesAndThoseRunsCloneAndRetiresARemovedSchedule() throws Exception {
        bases.tick();
        String first = baseCopyId();
        Clone run = px.driver.createClone("r1", Source.volume("cassandra-prod", Duration.ofHours(3)));
        for (int i = 0; i < 3; i++) {
            px.clock.advance(Duration.ofHours(1));
            bases.tick();
        }
        assertThat(px.peer.stateOf(first)).as("a run's clone is made from it").isNotNull();
        assertThat(bases.baseCopies("shop")).hasSize(3);
        px.driver.deleteClone(run);
        bases.tick();
        assertThat(px.peer.stateOf(first)).isNull();
        assertThat(bases.baseCopies("shop")).hasSize(2);
        assertThat(px.peer.derivedVolumes()).as("two base copies and their snapshots").hasSize(4);

        BaseCopies none = new BaseCopies(px.driver, List.of(), px.clock);
        none.tick();
        assertThat(px.peer.derivedVolumes()).as("a schedule no longer configured is retired").isEmpty();
    }

    @Test
    void eachBaseCopyMadeAndEachOneRetentionDeletesIsAuditedBySnapciBaseCopies() throws Exception {
        io.snapci.scheduler.core.testkit.InMemoryAuditLog log = new io.snapci.scheduler.core.testkit.InMemoryAuditLog();
        BaseCopies audited = new BaseCopies(px.driver, List.of(new BaseCopySchedule("shop", "cassandra-prod",
                Duration.ofHours(1), 1)), px.clock, io.snapci.server.audit.ScheduledSnapshotAudit.forBaseCopies(log,
                px.clock, lost -> { throw new AssertionError(lost); }));
        audited.tick();
        String first = audited.baseCopies("shop").get(0).name();
        px.clock.advance(Duration.ofHours(1));
        audited.tick();
        new BaseCopies(px.driver, List.of(), px.clock, io.snapci.server.audit.ScheduledSnapshotAudit.forBaseCopies(
                log, px.clock, lost -> { throw new AssertionError(lost); })).tick();

        List<String> entries = log.query(io.snapci.scheduler.core.audit.AuditQuery.all(100)).stream()
                .map(e -> e.who() + " " + e.action() + " " + e.snapshot() + " of " + e.sources() + " ("
                        + e.detail() + ")" + (e.dataTakenAt() == null ? "" : " data " + e.dataTakenAt())).toList();
        assertThat(entries).first().asString().startsWith("snapci:base-copies SNAPSHOT_CREATED " + first
                + " of [cassandra-prod] (base copy schedule shop) data ");
        assertThat(entries).anySatisfy(e -> assertThat(e).isEqualTo("snapci:base-copies SNAPSHOT_DELETED " + first
                + " of [cassandra-prod] (base copy schedule shop, retention: beyond keep 1)"));
        assertThat(entries).anySatisfy(e -> assertThat(e).contains("(base copy schedule shop, retention: its "
                + "schedule is no longer configured)"));
        assertThat(entries).anySatisfy(e -> assertThat(e).contains("SNAPSHOT_DELETED " + first + "-snap")
                .contains("retention: no base copy is made from it"));
        assertThat(entries).allSatisfy(e -> assertThat(e).startsWith("snapci:base-copies "));
        assertThat(px.peer.derivedVolumes()).as("every one of them deleted").isEmpty();
    }

    @Test
    void aFailedRefreshLeavesNothingAndTheNextTickMakesIt() throws Exception {
        px.peer.faults().fail("PUT", "/v1/volumes/", 100, GrpcCode.UNAVAILABLE, "px restarting");
        assertThat(bases.tick()).anySatisfy(line -> assertThat(line).contains("failed"));
        assertThat(px.peer.derivedVolumes()).isEmpty();
        px.peer.faults().clear();
        bases.tick();
        assertThat(bases.baseCopies("shop")).hasSize(1);
    }

    @Test
    void gcDeletesARunsCloneOfABaseCopyButNeverTheBaseCopyNorAUsersCloneOfIt() throws Exception {
        bases.tick();
        String base = baseCopyId();
        px.driver.createClone("r1", Source.volume("cassandra-prod", Duration.ofHours(1)));
        String users = new OpenStorageClient(SdkConfig.of(px.peer.endpoint()), d -> { }).clone("users-copy", base);
        assertThat(px.peer.labelsOf(users)).as("inherited").containsEntry(Labels.KIND, "base");
        px.clock.advance(Duration.ofHours(2));
        PortworxGarbageCollector gc = new PortworxGarbageCollector(px.driver, px.config,
                r -> RunLookup.State.FINISHED, px.clock);
        assertThat(gc.collect().deleted()).containsExactly("snapci-r1");
        assertThat(px.peer.stateOf(base)).isNotNull();
        BaseCopies none = new BaseCopies(px.driver, List.of(), px.clock);
        none.tick();
        assertThat(px.peer.stateOf(base)).as("kept: the user's copy is made from it").isNotNull();
        assertThat(px.peer.stateOf(users)).isNotNull();
        assertThat(px.peer.journal()).noneMatch(m -> m.target().equals(users));
    }

    @Test
    void aScheduleIsValidated() {
        assertThatThrownBy(() -> new BaseCopySchedule("Shop!", "cassandra-prod", Duration.ofHours(1), 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new BaseCopySchedule("shop", "cassandra-prod", Duration.ofSeconds(5), 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new BaseCopySchedule("shop", "cassandra-prod", Duration.ofHours(1), 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> px.driver.createClone("base-x", Source.volume("cassandra-prod")))
                .isInstanceOf(StorageException.class).hasMessageContaining("base-");
    }
}
