package io.snapci.tests.cluster;

import io.snapci.model.Phase;
import io.snapci.model.RunStatus;
import io.snapci.scheduler.core.process.ProcessExit;
import io.snapci.scheduler.core.state.RunStore;
import io.snapci.scheduler.mesos.transport.Authenticator;
import io.snapci.scheduler.zookeeper.ZkConnection;
import io.snapci.scheduler.zookeeper.ZkFrameworkIdStore;
import io.snapci.scheduler.zookeeper.ZkRunStore;
import io.snapci.scheduler.zookeeper.ZkStoreException;
import io.snapci.tests.mesos.AgentSpec;
import io.snapci.tests.mesos.Lifecycle;
import io.snapci.tests.mesos.MesosMasterPeer;
import io.snapci.tests.mesos.PeerOptions;
import org.apache.curator.test.TestingServer;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The scheduler dies mid-run and a new one starts (as Marathon would restart it), with the state where a cluster
 * keeps it: a real ZooKeeper. The new process must come back as the same framework, find the run's tasks by
 * reconciliation instead of launching them again, and finish the run.
 */
class SchedulerRestartScenarioTest {

    private static final Duration WAIT = Duration.ofSeconds(15);

    private TestingServer zookeeper;
    private MesosMasterPeer master;
    private final VolumeCloneDriver volumes = new VolumeCloneDriver();

    @BeforeEach
    void start() throws Exception {
        zookeeper = new TestingServer(true);
        master = MesosMasterPeer.start(PeerOptions.forTests());
    }

    @AfterEach
    void stop() throws Exception {
        master.close();
        zookeeper.close();
    }

    private ZkConnection zk() {
        return ZkConnection.open("zk://" + zookeeper.getConnectString() + "/snapci");
    }

    /** One CI agent, ci-1, where Cassandra boots and the tests task does what {@code tests} says. */
    private void oneCiAgentWhoseTests(Lifecycle tests) {
        master.addAgent(AgentSpec.agent("ci-1").hostname("ci-1.ci.example").ports(31000, 31999)
                        .attribute("tier", "ci").build())
                .onLaunch("cassandra", Lifecycle.of(TaskState.TASK_STARTING, TaskState.TASK_RUNNING)
                        .thenTcpCheckPassed())
                .onLaunch("tests", tests);
    }

    private SnapciScheduler scheduler(ZkConnection zk) {
        return new SnapciScheduler(master.url(), Authenticator.none(), volumes, new ZkRunStore(zk),
                new ZkFrameworkIdStore(zk)).start();
    }

    @Test
    void aSchedulerKilledMidRunIsReplacedByOneThatTakesTheRunOverWithoutLaunchingItAgain() {
        oneCiAgentWhoseTests(Lifecycle.runsUntilKilled());
        String runId;
        String frameworkId;
        try (ZkConnection zk = zk(); SnapciScheduler first = scheduler(zk)) {
            frameworkId = master.awaitSubscribed(WAIT).getFrameworkId().getValue();
            runId = first.submit().id();
            master.awaitCall(Call.Type.REVIVE, WAIT);
            master.offerNow();
            master.awaitCall(Call.Type.ACCEPT, WAIT);
            first.awaitPhase(runId, Phase.TESTING, WAIT);
        }   // the first scheduler dies here: no cleanup, the master keeps the framework for its failover timeout

        // While no scheduler listens, the tests finish: the agent keeps resending that update until acknowledged.
        master.sendUpdate(runId + ".tests.1", TaskState.TASK_FINISHED, "Command exited with status 0", null);

        try (ZkConnection zk = zk(); SnapciScheduler second = scheduler(zk)) {
            CompletableFuture<RunStatus> takenOver = second.resumed().get(runId);
            assertThat(takenOver).as("the run is taken over").isNotNull();
            assertThat(master.awaitSubscribed(WAIT).getFrameworkId().getValue()).isEqualTo(frameworkId);
            Call resubscribe = master.calls().stream().map(r -> r.call())
                    .filter(c -> c.getType() == Call.Type.SUBSCRIBE).reduce((x, y) -> y).orElseThrow();
            assertThat(resubscribe.getSubscribe().getFrameworkInfo().getId().getValue()).isEqualTo(frameworkId);
            Call reconcile = master.awaitCall(Call.Type.RECONCILE, WAIT);
            assertThat(reconcile.getReconcile().getTasksList()).extracting(t -> t.getTaskId().getValue())
                    .containsExactlyInAnyOrder(runId + ".cassandra.1", runId + ".tests.1");

            RunStatus ended = takenOver.join();
            assertThat(ended.phase()).as(ended.message()).isEqualTo(Phase.PASSED);
            assertThat(ended.cleanedUp()).isTrue();
            assertThat(master.awaitTaskState(runId + ".cassandra.1", TaskState.TASK_KILLED, WAIT)).isTrue();
            assertThat(master.calls().stream().filter(r -> r.call().getType() == Call.Type.ACCEPT)).hasSize(1);
            assertThat(master.frameworkIds()).containsExactly(frameworkId);
            assertThat(volumes.liveVolumes()).isEmpty();
            assertThat(second.status(runId).phase()).isEqualTo(Phase.PASSED);
        }
    }

    @Test
    void aRunWhoseLaunchNeverReachedTheMasterIsLaunchedAsTheNextAttemptAfterARestart() {
        oneCiAgentWhoseTests(Lifecycle.of(TaskState.TASK_STARTING, TaskState.TASK_RUNNING).thenExits(0)
                .after(Duration.ofMillis(200)));
        String runId;
        try (ZkConnection zk = zk()) {
            // The state a scheduler leaves when it dies between recording the placement and sending the ACCEPT.
            SnapciScheduler first = scheduler(zk);
            master.awaitSubscribed(WAIT);
            // It handled SUBSCRIBED (the FrameworkID is stored before anything is placed): without this wait the
            // next scheduler may register a second framework while the master still offers to this dead one.
            awaitStoredFrameworkId(zk);
            first.close();
            ZkRunStore runs = new ZkRunStore(zk);
            RunStatus placed = RunStatus.queued("r-20261125-lost", new io.snapci.model.RunSpec(
                            io.snapci.model.Source.volume("cassandra-prod"), "mvn test", "maven:3", null,
                            java.util.Map.of(), null, null, null, java.util.Map.of()), java.time.Instant.now())
                    .withPhase(Phase.SNAPSHOTTING, "", java.time.Instant.now())
                    .withClone("snapci-r-20261125-lost", "cloned").withPhase(Phase.PLACING, "", java.time.Instant.now())
                    .withPlacement(new io.snapci.model.Placement("ci-1", "ci-1.ci.example", 1));
            runs.save(placed);
            volumes.createClone(placed.id(), placed.spec().source());
            runId = placed.id();
        } catch (Exception e) {
            throw new AssertionError(e);
        }

        try (ZkConnection zk = zk(); SnapciScheduler second = scheduler(zk)) {
            master.awaitSubscribed(WAIT);
            master.awaitCall(Call.Type.RECONCILE, WAIT);
            // The master answers TASK_UNKNOWN for both tasks: the run waits for an offer again, as attempt 2.
            second.awaitPhase(runId, Phase.PLACING, WAIT);
            master.awaitCall(Call.Type.REVIVE, WAIT);
            master.offerNow();
            Call accept = master.awaitCall(Call.Type.ACCEPT, WAIT);
            assertThat(accept.getAccept().getOperations(0).getLaunchGroup().getTaskGroup().getTasksList())
                    .extracting(t -> t.getTaskId().getValue())
                    .containsExactly(runId + ".cassandra.2", runId + ".tests.2");
            RunStatus ended = second.resumed().get(runId).join();
            assertThat(ended.phase()).as(ended.message()).isEqualTo(Phase.PASSED);
            assertThat(ended.placement().attempt()).isEqualTo(2);
        }
    }

    @Test
    void aRunStateThatCannotBeStoredLeavesItsUpdateUnacknowledgedAndTheNextSchedulerFinishesTheRun() {
        master.addAgent(AgentSpec.agent("ci-1").hostname("ci-1.ci.example").ports(31000, 31999)
                        .attribute("tier", "ci").build())
                .onLaunch("cassandra", Lifecycle.of(TaskState.TASK_STARTING, TaskState.TASK_RUNNING)
                        .thenTcpCheckPassed())
                .onLaunch("tests", Lifecycle.of(TaskState.TASK_STARTING, TaskState.TASK_RUNNING).thenExits(0)
                        .after(Duration.ofSeconds(2)));
        String runId;
        try (ZkConnection zk = zk()) {
            // ZooKeeper refuses the write that records Cassandra answering (the phase TESTING), once.
            RunStore failing = new FailingSaves(new ZkRunStore(zk), run -> run.phase() == Phase.TESTING, 1);
            SnapciScheduler first = new SnapciScheduler(master.url(), Authenticator.none(), volumes, failing,
                    new ZkFrameworkIdStore(zk)).start();
            master.awaitSubscribed(WAIT);
            runId = first.submit().id();
            master.awaitCall(Call.Type.REVIVE, WAIT);
            master.offerNow();
            master.awaitCall(Call.Type.ACCEPT, WAIT);

            assertThat(first.exited()).as("the scheduler ends itself").succeedsWithin(WAIT)
                    .isEqualTo(ProcessExit.Reason.STATE_NOT_STORED);
            assertThat(new ZkRunStore(zk).find(runId).orElseThrow().phase()).isEqualTo(Phase.STARTING_CASSANDRA);
            assertThat(master.unacknowledged()).as("the update behind the lost write is not acknowledged")
                    .anyMatch(s -> s.getTaskId().getValue().equals(runId + ".cassandra.1") && s.hasCheckStatus()
                            && s.getCheckStatus().getTcp().getSucceeded());
            first.stopRunThreads();
        }

        try (ZkConnection zk = zk(); SnapciScheduler second = scheduler(zk)) {
            RunStatus ended = second.resumed().get(runId).join();
            assertThat(ended.phase()).as(ended.message()).isEqualTo(Phase.PASSED);
            assertThat(ended.history()).extracting(RunStatus.PhaseChange::phase).contains(Phase.TESTING);
            assertThat(ended.placement().attempt()).as("followed, not launched again").isEqualTo(1);
            assertThat(master.calls().stream().filter(r -> r.call().getType() == Call.Type.ACCEPT)).hasSize(1);
            assertThat(master.unacknowledged()).isEmpty();
            assertThat(volumes.liveVolumes()).isEmpty();
        }
    }

    /** A store whose writes fail, as a ZooKeeper out of reach does, for the runs {@code failWhen} picks. */
    private static final class FailingSaves implements RunStore {
        private final RunStore store;
        private final java.util.function.Predicate<RunStatus> failWhen;
        private final java.util.concurrent.atomic.AtomicInteger failuresLeft;

        FailingSaves(RunStore store, java.util.function.Predicate<RunStatus> failWhen, int failures) {
            this.store = store;
            this.failWhen = failWhen;
            this.failuresLeft = new java.util.concurrent.atomic.AtomicInteger(failures);
        }

        @Override
        public void save(RunStatus run) {
            if (failWhen.test(run) && failuresLeft.getAndDecrement() > 0) {
                throw new ZkStoreException("cannot save run " + run.id() + ": KeeperErrorCode = ConnectionLoss",
                        null);
            }
            store.save(run);
        }

        @Override
        public java.util.Optional<RunStatus> find(String runId) {
            return store.find(runId);
        }

        @Override
        public java.util.List<RunStatus> list() {
            return store.list();
        }

        @Override
        public boolean delete(String runId) {
            return store.delete(runId);
        }
    }

    private static void awaitStoredFrameworkId(ZkConnection zk) {
        ZkFrameworkIdStore ids = new ZkFrameworkIdStore(zk);
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (ids.load().isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the scheduler did not store its FrameworkID within " + WAIT);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
