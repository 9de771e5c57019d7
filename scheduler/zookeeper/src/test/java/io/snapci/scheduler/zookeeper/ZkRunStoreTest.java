package io.snapci.scheduler.zookeeper;

import io.snapci.model.Phase;
import io.snapci.model.RunSpec;
import io.snapci.model.RunStatus;
import io.snapci.model.Source;
import io.snapci.model.TestCounts;
import io.snapci.scheduler.core.state.RunStore;
import io.snapci.scheduler.core.state.StoredRecords;
import io.snapci.scheduler.core.testkit.PersistentRunStoreContract;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ZkRunStoreTest extends PersistentRunStoreContract {

    @RegisterExtension
    static final ZkTestServer zk = ZkTestServer.perClass();

    /** A store on the test's own root ({@link ZkTestServer} gives each test one): it starts from an empty ZooKeeper. */
    @Override
    protected RunStore store() {
        return new ZkRunStore(zk.connect());
    }

    @Override
    protected void writeRecord(String runId, byte[] json) throws Exception {
        zk.connect().curator().create().orSetData().creatingParentsIfNeeded()
                .forPath(zk.url().root() + "/runs/" + runId, json);
    }

    @Override
    protected byte[] readRecord(String runId) throws Exception {
        return zk.connect().curator().getData().forPath(zk.url().root() + "/runs/" + runId);
    }

    private static RunStatus run(String id, Instant at) {
        return RunStatus.queued(id, new RunSpec(Source.volume("cassandra-prod"), "mvn -q test", null, null,
                Map.of("A", "1"), "target/surefire-reports/*.xml", null, null, Map.of("job", "7")), at);
    }

    private static final Instant T0 = Instant.parse("2026-11-25T06:00:00Z");

    @Test
    void aRestartReadsTheUnfinishedRunsThroughTheIndexOnceItIsProvenComplete() {
        ZkRunStore first = (ZkRunStore) store();
        first.save(run("r1", T0));
        assertThat(first.indexIsCurrent()).as("a store never asked for its unfinished runs").isFalse();
        assertThat(first.unfinished()).extracting(RunStatus::id).containsExactly("r1");  // rebuilt
        assertThat(first.indexIsCurrent()).isTrue();
        RunStatus second = run("r2", T0.plusSeconds(1));
        first.save(second);
        first.save(run("r3", T0.plusSeconds(2)).withPhase(Phase.ERROR, "failed", T0.plusSeconds(3)));
        first.save(run("r1", T0).withPhase(Phase.CANCELLED, "cancelled", T0.plusSeconds(4)));
        first.delete("r3");

        ZkRunStore restarted = new ZkRunStore(zk.connect());
        assertThat(restarted.indexIsCurrent()).as("kept complete by every save and delete").isTrue();
        assertThat(restarted.unfinished()).containsExactly(second);
    }

    @Test
    void aRunCreatedByAVersionWithoutTheIndexIsStillTakenOver() throws Exception {
        ZkRunStore store = (ZkRunStore) store();
        store.save(run("r1", T0));
        assertThat(store.unfinished()).hasSize(1);
        // An older snapci (after a rollback) writes records only: a new run, and the end of r1.
        writeRecord("r2", new RunRecordCodec().encode(run("r2", T0.plusSeconds(1)),
                zk.url().root() + "/runs/r2"));
        writeRecord("r1", new RunRecordCodec().encode(run("r1", T0)
                .withPhase(Phase.CANCELLED, "cancelled", T0.plusSeconds(2)), zk.url().root() + "/runs/r1"));

        ZkRunStore restarted = new ZkRunStore(zk.connect());
        assertThat(restarted.indexIsCurrent()).as("the runs' count moved past the index's").isFalse();
        assertThat(restarted.unfinished()).extracting(RunStatus::id).containsExactly("r2");
        assertThat(restarted.indexIsCurrent()).isTrue();
        assertThat(zk.connect().curator().getChildren().forPath(zk.url().root() + "/unfinished"))
                .containsExactly("r2");
    }

    @Test
    void aSecondSchedulerOnTheSameRootKnowsTheRuns() {
        RunStore first = store();
        RunStatus saved = run("r1", T0).withPhase(Phase.SNAPSHOTTING, "copying", T0.plusSeconds(1));
        first.save(saved);

        ZkRunStore restarted = new ZkRunStore(zk.connect());
        assertThat(restarted.find("r1")).contains(saved);
        assertThat(restarted.list()).containsExactly(saved);
    }

    @Test
    void runsAreOneZnodeEachUnderTheRoot() throws Exception {
        RunStore store = store();
        store.save(run("r1", T0));
        ZkConnection raw = zk.connect();
        byte[] record = raw.curator().getData().forPath(zk.url().root() + "/runs/r1");
        assertThat(new String(record, StandardCharsets.UTF_8))
                .startsWith("{\"schemaVersion\":\"" + StoredRecords.CURRENT + "\",\"id\":\"r1\"");
    }

    @Test
    void aStoreWithNothingSavedListsNothing() {
        assertThat(store().list()).isEmpty();
        assertThat(store().find("r1")).isEmpty();
    }

    @Test
    void runsCreatedInTheSameInstantAreListedByIdEveryTime() {
        RunStore store = store();
        for (String id : List.of("r3", "r1", "r2")) {
            store.save(run(id, T0));
        }
        store.save(run("r0", T0.plusSeconds(1)));
        assertThat(store.list()).extracting(RunStatus::id).containsExactly("r1", "r2", "r3", "r0");
    }

    @Test
    void aRestartOfZooKeeperBetweenSaveAndFindLosesNothing() throws Exception {
        RunStore store = store();
        RunStatus saved = run("r1", T0);
        store.save(saved);

        zk.server().restart();

        assertThat(store.list()).containsExactly(saved);
        assertThat(store.find("r1")).contains(saved);
        RunStatus moved = saved.withPhase(Phase.SNAPSHOTTING, "copying", T0.plusSeconds(1));
        store.save(moved);
        assertThat(store.list()).containsExactly(moved);
    }

    @Test
    void aSaveDuringAnOutageCompletesOnceZooKeeperIsBack() throws Exception {
        RunStore store = store();
        store.save(run("r1", T0));

        zk.server().stop();
        CompletableFuture<Void> save;
        try {
            save = CompletableFuture.runAsync(() -> store.save(run("r2", T0.plusSeconds(1))));
            Thread.sleep(500);
            assertThat(save).as("a save cannot complete while ZooKeeper is down").isNotDone();
        } finally {
            zk.server().restart();
        }
        save.get(30, TimeUnit.SECONDS);
        assertThat(store.list()).extracting(RunStatus::id).containsExactly("r1", "r2");
    }

    @Test
    void aSaveFailsClearlyWhenZooKeeperStaysDownBeyondTheRetries() throws Exception {
        ZkSettings impatient = ZkTestServer.FAST.withTimeouts(Duration.ofSeconds(10), Duration.ofMillis(300))
                .withRetries(Duration.ofMillis(50), Duration.ofMillis(100), 0);
        RunStore store = new ZkRunStore(zk.connect(zk.url(), impatient));
        zk.server().stop();
        try {
            long start = System.nanoTime();
            assertThatThrownBy(() -> store.save(run("r1", T0)))
                    .isInstanceOf(ZkStoreException.class)
                    .hasMessageContaining("cannot save run r1 to " + zk.url().root() + "/runs/r1")
                    .hasMessageContaining("ZooKeeper could not be reached");
            assertThatThrownBy(store::list)
                    .isInstanceOf(ZkStoreException.class)
                    .hasMessageContaining("cannot list the runs under " + zk.url().root() + "/runs");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(15));
        } finally {
            zk.server().restart();
        }
    }

    @Test
    void idsThatWouldLeaveTheRunsZnodeAreRefused() {
        RunStore store = store();
        assertThat(store.find("../framework-id")).isEmpty();
        assertThat(store.find("a/b")).isEmpty();
        for (String id : List.of("../evil", "a/b", "..", "")) {
            assertThatThrownBy(() -> store.save(run(id, T0))).isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(store.list()).isEmpty();
    }

    @Test
    void aRecordTooBigForAZnodeIsRefusedAndThePreviousOneKept() {
        RunStore store = store();
        RunStatus testing = run("r1", T0).withPhase(Phase.SNAPSHOTTING, null, T0)
                .withPhase(Phase.PLACING, null, T0).withPhase(Phase.STARTING_CASSANDRA, null, T0)
                .withPhase(Phase.TESTING, null, T0);
        store.save(testing);
        // The failing-test list is capped (TestCounts keeps 100), so what can still grow is free text: a message.
        RunStatus huge = testing.withPhase(Phase.FAILED, "tests failed: " + "x".repeat(1_100_000), T0.plusSeconds(60))
                .withTestResult(1, failures(2500));

        assertThatThrownBy(() -> store.save(huge))
                .isInstanceOfSatisfying(RunRecordTooLargeException.class,
                        e -> assertThat(e.bytes()).isGreaterThan(RunRecordCodec.MAX_RECORD_BYTES))
                .hasMessageContaining("cannot save run r1 to " + zk.url().root() + "/runs/r1")
                .hasMessageContaining("jute.maxbuffer")
                .hasMessageContaining("100 failing tests")
                .hasMessageContaining("a message of 1100014 characters")
                .hasMessageContaining("nothing was written");
        assertThat(store.find("r1")).contains(testing);
        RunStatus small = testing.withPhase(Phase.FAILED, "tests failed", T0.plusSeconds(60))
                .withTestResult(1, failures(10));
        store.save(small);
        assertThat(store.find("r1")).contains(small);
    }

    @Test
    void aRecordJustUnderTheLimitFitsInAZnode() {
        RunStore store = store();
        RunStatus base = run("r1", T0);
        int room = RunRecordCodec.MAX_RECORD_BYTES - new RunRecordCodec().encode(base.withMessage(""), "/p").length;
        RunStatus biggest = base.withMessage("x".repeat(room));
        assertThat(new RunRecordCodec().encode(biggest, "/p")).hasSize(RunRecordCodec.MAX_RECORD_BYTES);

        store.save(biggest);
        assertThat(store.find("r1")).contains(biggest);
        assertThatThrownBy(() -> store.save(base.withMessage("x".repeat(room + 1))))
                .isInstanceOf(RunRecordTooLargeException.class);
    }

    @Test
    void anUnreadableRecordIsLeftOutOfTheListAndNamedByFindWhileANewerOneIsRead() throws Exception {
        RunStore store = store();
        store.save(run("good1", T0));
        store.save(run("good2", T0.plusSeconds(1)));
        ZkConnection raw = zk.connect();
        raw.curator().create().forPath(zk.url().root() + "/runs/garbled",
                "{\"id\":\"garb".getBytes(StandardCharsets.UTF_8));
        raw.curator().create().forPath(zk.url().root() + "/runs/empty", new byte[0]);
        raw.curator().create().forPath(zk.url().root() + "/runs/norun",
                "{\"id\":\"norun\",\"fieldFromTheFuture\":1}".getBytes(StandardCharsets.UTF_8));
        // A whole run as a newer snapci writes it: one more field, which this one reads past.
        String good = new String(StoredRecords.write(run("newer", T0.plusSeconds(2))), StandardCharsets.UTF_8);
        raw.curator().create().forPath(zk.url().root() + "/runs/newer",
                good.replaceFirst("\\{", "{\"fieldFromTheFuture\":1,").getBytes(StandardCharsets.UTF_8));

        assertThat(store.list()).extracting(RunStatus::id).containsExactly("good1", "good2", "newer");
        assertThat(store.find("newer")).contains(run("newer", T0.plusSeconds(2)));
        for (String id : List.of("garbled", "empty", "norun")) {
            assertThatThrownBy(() -> store.find(id))
                    .isInstanceOf(ZkStoreException.class)
                    .hasMessageContaining("the run record at " + zk.url().root() + "/runs/" + id + " is");
        }
        assertThatThrownBy(() -> store.find("norun")).hasMessageContaining("a run record needs an id, a spec");
    }

    private static TestCounts failures(int n) {
        List<TestCounts.TestFailure> failed = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            failed.add(new TestCounts.TestFailure("com.example.orders.OrderRepositoryIT" + i, "findsOrdersByCustomer",
                    "expected: <3> but was: <0> " + "x".repeat(400)));
        }
        return new TestCounts(n, n, 0, 0, failed);
    }
}
