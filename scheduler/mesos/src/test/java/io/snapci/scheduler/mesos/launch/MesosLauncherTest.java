package io.snapci.scheduler.mesos.launch;

import io.snapci.scheduler.mesos.TestLaunch;
import com.google.protobuf.ByteString;
import io.snapci.model.ExecutionResult;
import io.snapci.model.Phase;
import io.snapci.model.Placement;
import io.snapci.model.RunSpec;
import io.snapci.model.RunStatus;
import io.snapci.model.Source;
import io.snapci.scheduler.core.launch.LaunchListener;
import io.snapci.scheduler.core.state.FrameworkIdStore;
import io.snapci.scheduler.core.testkit.InMemoryFrameworkIdStore;
import io.snapci.scheduler.core.storage.Clone;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.CheckStatusInfo;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.OfferID;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.Protos.Volume;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The launcher's decisions, event by event, with the calls it sends recorded. (The same flows run against the
 * Mesos master peer over real HTTP in the tests module.)
 */
class MesosLauncherTest {

    private final List<Call> sent = Collections.synchronizedList(new ArrayList<>());
    private final List<Phase> phases = new ArrayList<>();
    private final List<String> placed = new ArrayList<>();
    private String savedFrameworkId;
    private MesosLauncher launcher;
    private final SettableClock clock = new SettableClock();

    /** A clock the test moves by hand, for the launcher's timeouts. */
    private static final class SettableClock extends Clock {
        private Instant now = Instant.parse("2026-11-25T10:00:00Z");

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    private final LaunchListener listener = new LaunchListener() {
        @Override
        public void onPlaced(Placement where) {
            placed.add(where.describe());
        }

        @Override
        public void onPhase(Phase phase, String note) {
            phases.add(phase);
        }
    };

    /** Places the first waiting run on the first offer; declines the rest. */
    private final OfferMatcher firstFit = (waiting, offers) -> {
        List<OfferMatcher.Match> matches = new ArrayList<>();
        List<OfferMatcher.Declined> declined = new ArrayList<>();
        for (int i = 0; i < offers.size(); i++) {
            if (i < waiting.size()) {
                matches.add(new OfferMatcher.Match(waiting.get(i), offers.get(i), new RunPorts(31000, 31001, 31002)));
            } else {
                declined.add(new OfferMatcher.Declined(offers.get(i).getId(), "nothing waits"));
            }
        }
        return new OfferMatcher.Matches(matches, declined);
    };

    @BeforeEach
    void setUp() {
        FrameworkIdStore ids = new FrameworkIdStore() {
            @Override
            public Optional<String> load() {
                return Optional.ofNullable(savedFrameworkId);
            }

            @Override
            public void save(String frameworkId) {
                savedFrameworkId = frameworkId;
            }

            @Override
            public void clear() {
                savedFrameworkId = null;
            }
        };
        launcher = launcher(firstFit, ids, RAN_THE_TESTS);
    }

    /** A tests task that ran snapci's code leaves its report in the sandbox (here: failed, no counts). */
    private static final TestsReports RAN_THE_TESTS = (agentUrl, frameworkId, executorId, taskId) ->
            CompletableFuture.completedFuture(Optional.of(new io.snapci.model.tasks.TestsTaskReport(Phase.FAILED, 7,
                    "Tests failed", null)));

    /** A launcher that sends into {@code sent}, on the test's clock: staging 10 min, kill retry 30 s, reconcile
     * 5 s doubling to 40 s, a REVIVE at most every 5 s. */
    private MesosLauncher launcher(OfferMatcher matcher, FrameworkIdStore ids, TestsReports reports) {
        return launcher(matcher, ids, reports, NodeLogs.NONE);
    }

    private MesosLauncher launcher(OfferMatcher matcher, FrameworkIdStore ids, TestsReports reports, NodeLogs logs) {
        return new MesosLauncher(sent::add, matcher,
                new TaskGroupFactory(TestLaunch.config("http://snapci.marathon.mesos:8080/v1/artifacts/executor.tgz")),
                ids, clock, m -> { }, new MesosLauncher.Timing(Duration.ofMinutes(10), Duration.ofSeconds(30),
                        Duration.ofSeconds(5), Duration.ofSeconds(40), Duration.ofSeconds(5), 3), reports, logs);
    }

    private static RunStatus run(String id) {
        return RunStatus.queued(id, new RunSpec(Source.volume("cassandra-prod"), "mvn -q test", "maven:3-eclipse-temurin-17",
                null, Map.of(), "target/surefire-reports/*.xml", null, null, Map.of()), Instant.now());
    }

    private static Clone clone(String runId) {
        return new Clone("vol-" + runId, runId, "cassandra-prod", null, "snapci-" + runId, Instant.now(), "clone");
    }

    private static Offer offer(String id, String agent) {
        return Offer.newBuilder().setId(OfferID.newBuilder().setValue(id))
                .setFrameworkId(FrameworkID.newBuilder().setValue("fw-1"))
                .setAgentId(AgentID.newBuilder().setValue(agent)).setHostname(agent + ".ci").build();
    }

    private static TaskStatus status(String taskId, String agent, TaskState state, String message) {
        return TaskStatus.newBuilder().setTaskId(TaskID.newBuilder().setValue(taskId))
                .setAgentId(AgentID.newBuilder().setValue(agent)).setState(state).setMessage(message)
                .setUuid(ByteString.copyFromUtf8("u-" + taskId + state)).build();
    }

    private static final FrameworkID FW_1 = FrameworkID.newBuilder().setValue("fw-1").build();

    /** The start most stories share: subscribed as fw-1, run r1 launched and placed on agent a1 by offer o1. */
    private CompletableFuture<ExecutionResult> r1PlacedOnA1() {
        launcher.subscribed(FW_1);
        CompletableFuture<ExecutionResult> result = launcher.launch(run("r1"), clone("r1"), listener);
        launcher.offers(List.of(offer("o1", "a1")));
        return result;
    }

    /** Both tasks of one attempt report the same state, the Cassandra task's update first. */
    private void bothTasks(String runId, int attempt, String agent, TaskState state, String message) {
        launcher.update(status(runId + ".cassandra." + attempt, agent, state, message));
        launcher.update(status(runId + ".tests." + attempt, agent, state, message));
    }

    /** Time passes on the test's clock, then the launcher's periodic work runs, as MesosMode's tick does. */
    private void tickAfter(Duration elapsed) {
        clock.advance(elapsed);
        launcher.tick();
    }

    private List<Call.Type> types() {
        return sent.stream().map(Call::getType).toList();
    }

    private Call last(Call.Type type) {
        List<Call> of = sent.stream().filter(c -> c.getType() == type).toList();
        return of.get(of.size() - 1);
    }

    @Test
    void theFrameworkIdIsSavedOnSubscribeAndOffersAreSuppressedWhileNothingWaits() {
        launcher.subscribed(FW_1);

        assertThat(savedFrameworkId).isEqualTo("fw-1");
        assertThat(types()).containsExactly(Call.Type.SUPPRESS);

        launcher.offers(List.of(offer("o1", "a1")));
        assertThat(last(Call.Type.DECLINE).getDecline().getOfferIdsList()).extracting(OfferID::getValue)
                .containsExactly("o1");
        assertThat(last(Call.Type.DECLINE).getDecline().getFilters().getRefuseSeconds()).isEqualTo(300);
    }

    @Test
    void aRunRevivesOffersIsLaunchedAsATaskGroupAndPassesWhenItsTestsFinish() {
        launcher.subscribed(FW_1);
        CompletableFuture<ExecutionResult> result = launcher.launch(run("r1"), clone("r1"), listener);
        assertThat(last(Call.Type.REVIVE).getFrameworkId().getValue()).isEqualTo("fw-1");

        launcher.offers(List.of(offer("o1", "a1"), offer("o2", "a2")));

        Call accept = last(Call.Type.ACCEPT);
        assertThat(accept.getAccept().getOfferIdsList()).extracting(OfferID::getValue).containsExactly("o1");
        var group = accept.getAccept().getOperations(0).getLaunchGroup();
        assertThat(group.getExecutor().getType().name()).isEqualTo("DEFAULT");
        assertThat(group.getExecutor().hasCommand()).isFalse();
        assertThat(group.getExecutor().getResourcesList()).extracting(r -> r.getName())
                .containsExactlyInAnyOrder("cpus", "mem", "disk");
        TaskInfo cassandra = group.getTaskGroup().getTasks(0);
        Volume copy = cassandra.getContainer().getVolumes(0);
        assertThat(copy.getSource().getDockerVolume().getDriver()).isEqualTo("pxd");
        assertThat(copy.getSource().getDockerVolume().getName()).isEqualTo("snapci-r1");
        assertThat(cassandra.getCheck().getTcp().getPort()).isEqualTo(31000);
        assertThat(last(Call.Type.DECLINE).getDecline().getOfferIdsList()).extracting(OfferID::getValue)
                .containsExactly("o2");
        assertThat(types()).endsWith(Call.Type.DECLINE, Call.Type.SUPPRESS);
        assertThat(placed).singleElement().asString().contains("a1.ci");

        launcher.update(status("r1.cassandra.1", "a1", TaskState.TASK_RUNNING, "")
                .toBuilder().setCheckStatus(CheckStatusInfo.newBuilder().setType(org.apache.mesos.v1.Protos.CheckInfo.Type.TCP)
                        .setTcp(CheckStatusInfo.Tcp.newBuilder().setSucceeded(true))).build());
        launcher.update(status("r1.tests.1", "a1", TaskState.TASK_RUNNING, ""));
        launcher.update(status("r1.tests.1", "a1", TaskState.TASK_FINISHED, "Command exited with status 0"));
        assertThat(last(Call.Type.KILL).getKill().getTaskId().getValue()).isEqualTo("r1.cassandra.1");
        assertThat(result).isNotDone();
        launcher.update(status("r1.cassandra.1", "a1", TaskState.TASK_KILLED, ""));

        assertThat(result.join().outcome()).isEqualTo(Phase.PASSED);
        assertThat(phases).containsExactly(Phase.STARTING_CASSANDRA, Phase.TESTING);
        assertThat(sent.stream().filter(c -> c.getType() == Call.Type.ACKNOWLEDGE).count()).isEqualTo(4);
    }

    @Test
    void failingTestsAreFailedWithTheirExitCodeAndNeverRetried() {
        CompletableFuture<ExecutionResult> result = r1PlacedOnA1();

        launcher.update(status("r1.tests.1", "a1", TaskState.TASK_FAILED, "Command exited with status 7"));
        launcher.update(status("r1.cassandra.1", "a1", TaskState.TASK_KILLED, ""));

        assertThat(result.join().outcome()).isEqualTo(Phase.FAILED);
        assertThat(result.join().testExitCode()).isEqualTo(7);
        assertThat(launcher.waitingRuns()).isEmpty();
    }

    @Test
    void testsThatEndBeforeTheAgentsCheckSaysCassandraAnswersStillGoThroughTestingToTheirVerdict() {
        launcher.subscribed(FW_1);
        CompletableFuture<ExecutionResult> passing = launcher.launch(run("r1"), clone("r1"), listener);
        launcher.offers(List.of(offer("o1", "a1")));
        launcher.update(status("r1.cassandra.1", "a1", TaskState.TASK_RUNNING, ""));
        launcher.update(status("r1.tests.1", "a1", TaskState.TASK_FINISHED, "Command exited with status 0"));
        launcher.update(status("r1.cassandra.1", "a1", TaskState.TASK_KILLED, ""));

        assertThat(passing.join().outcome()).isEqualTo(Phase.PASSED);
        assertThat(phases).as("a phase the run service can end in PASSED from")
                .containsExactly(Phase.STARTING_CASSANDRA, Phase.TESTING);
        assertThat(passing.join().cassandraReadyMillis()).as("no readiness time made up").isNull();

        phases.clear();
        CompletableFuture<ExecutionResult> failing = launcher.launch(run("r2"), clone("r2"), listener);
        launcher.offers(List.of(offer("o2", "a1")));
        launcher.update(status("r2.tests.1", "a1", TaskState.TASK_FAILED, "Command exited with status 7"));
        launcher.update(status("r2.cassandra.1", "a1", TaskState.TASK_KILLED, ""));

        assertThat(failing.join().outcome()).isEqualTo(Phase.FAILED);
        assertThat(phases).as("also when the tests' end arrives before Cassandra's RUNNING")
                .containsExactly(Phase.STARTING_CASSANDRA, Phase.TESTING);
    }

    @Test
    void aLostAgentSendsTheRunToAnotherAgentBoundedThenError() {
        launcher.subscribed(FW_1);
        CompletableFuture<ExecutionResult> result = launcher.launch(run("r1"), clone("r1"), listener);
        for (int attempt = 1; attempt <= 3; attempt++) {
            String agent = "a" + attempt;
            launcher.offers(List.of(offer("o" + attempt, agent)));
            launcher.update(status("r1.cassandra." + attempt, agent, TaskState.TASK_LOST, "agent gone"));
            launcher.update(status("r1.tests." + attempt, agent, TaskState.TASK_LOST, "agent gone"));
            if (attempt < 3) {
                assertThat(result).isNotDone();
                assertThat(launcher.waitingRuns()).containsExactly("r1");
            }
        }
        assertThat(result.join().outcome()).isEqualTo(Phase.ERROR);
        assertThat(result.join().message()).contains("lost 3 times");
        assertThat(phases).contains(Phase.PLACING);
    }

    @Test
    void aTaskOfAnUnknownRunIsKilled() {
        launcher.subscribed(FW_1);
        launcher.update(status("r-old.tests.1", "a9", TaskState.TASK_RUNNING, ""));
        assertThat(last(Call.Type.KILL).getKill().getTaskId().getValue()).isEqualTo("r-old.tests.1");
    }

    @Test
    void cancellingAWaitingRunEndsItAtOnceAndALaunchedOneKillsItsTasks() {
        launcher.subscribed(FW_1);
        CompletableFuture<ExecutionResult> waiting = launcher.launch(run("r1"), clone("r1"), listener);
        launcher.cancel("r1");
        assertThat(waiting.join().outcome()).isEqualTo(Phase.CANCELLED);

        CompletableFuture<ExecutionResult> running = launcher.launch(run("r2"), clone("r2"), listener);
        launcher.offers(List.of(offer("o1", "a1")));
        launcher.cancel("r2");
        assertThat(sent.stream().filter(c -> c.getType() == Call.Type.KILL).map(c -> c.getKill().getTaskId().getValue()))
                .containsExactlyInAnyOrder("r2.cassandra.1", "r2.tests.1");
        bothTasks("r2", 1, "a1", TaskState.TASK_KILLED, "");
        assertThat(running.join().outcome()).isEqualTo(Phase.CANCELLED);
    }

    @Test
    void aResubscribeReconcilesTheTasksItLaunched() {
        r1PlacedOnA1();

        launcher.subscribed(FW_1);

        assertThat(last(Call.Type.RECONCILE).getReconcile().getTasksList())
                .extracting(t -> t.getTaskId().getValue()).containsExactlyInAnyOrder("r1.cassandra.1", "r1.tests.1");
    }

    @Test
    void aCopyWithoutAVolumeNameCannotGoToMesos() {
        Clone local = new Clone("/clones/r1", "r1", "/data", "/clones/r1", null, Instant.now(), "local");
        assertThat(launcher.launch(run("r1"), local, listener).join().outcome()).isEqualTo(Phase.ERROR);
    }

    private static RunStatus placedRun(String id, String agent, int attempt) {
        return run(id).withPhase(Phase.SNAPSHOTTING, "", Instant.now()).withPhase(Phase.PLACING, "", Instant.now())
                .withPlacement(new Placement(agent, agent + ".ci", attempt));
    }

    private long count(Call.Type type) {
        return sent.stream().filter(c -> c.getType() == type).count();
    }

    @Test
    void aRunTakenOverAfterARestartIsFollowedToItsEndWithoutASecondLaunch() {
        CompletableFuture<ExecutionResult> result = launcher.adopt(placedRun("r1", "a1", 1), clone("r1"), listener);
        launcher.subscribed(FW_1);

        assertThat(last(Call.Type.RECONCILE).getReconcile().getTasksList())
                .extracting(t -> t.getTaskId().getValue() + "@" + t.getAgentId().getValue())
                .containsExactlyInAnyOrder("r1.cassandra.1@a1", "r1.tests.1@a1");
        launcher.update(status("r1.cassandra.1", "a1", TaskState.TASK_RUNNING, "").toBuilder().clearUuid().build());
        launcher.update(status("r1.tests.1", "a1", TaskState.TASK_RUNNING, "").toBuilder().clearUuid().build());
        launcher.offers(List.of(offer("o1", "a2")));
        launcher.update(status("r1.tests.1", "a1", TaskState.TASK_FINISHED, "Command exited with status 0"));
        launcher.update(status("r1.cassandra.1", "a1", TaskState.TASK_KILLED, ""));

        assertThat(result.join().outcome()).isEqualTo(Phase.PASSED);
        assertThat(count(Call.Type.ACCEPT)).isZero();
        assertThat(last(Call.Type.DECLINE).getDecline().getOfferIdsList()).extracting(OfferID::getValue)
                .containsExactly("o1");
    }

    @Test
    void aTakenOverRunWhoseTasksTheMasterDoesNotKnowIsLaunchedAgainAsTheNextAttempt() {
        CompletableFuture<ExecutionResult> result = launcher.adopt(placedRun("r1", "a1", 1), clone("r1"), listener);
        launcher.subscribed(FW_1);

        launcher.update(status("r1.cassandra.1", "a1", TaskState.TASK_UNKNOWN, "").toBuilder().clearUuid().build());
        launcher.update(status("r1.tests.1", "a1", TaskState.TASK_UNKNOWN, "").toBuilder().clearUuid().build());
        assertThat(launcher.waitingRuns()).containsExactly("r1");
        launcher.offers(List.of(offer("o1", "a2")));

        assertThat(last(Call.Type.ACCEPT).getAccept().getOperations(0).getLaunchGroup().getTaskGroup().getTasksList())
                .extracting(t -> t.getTaskId().getValue()).containsExactly("r1.cassandra.2", "r1.tests.2");
        assertThat(placed).containsExactly("a2.ci (agent a2, attempt 2)");
        assertThat(result).isNotDone();
    }

    @Test
    void aTakenOverRunThatWasNeverPlacedWaitsForAnOffer() {
        RunStatus placing = run("r1").withPhase(Phase.SNAPSHOTTING, "", Instant.now()).withPhase(Phase.PLACING, "",
                Instant.now());
        launcher.adopt(placing, clone("r1"), listener);
        launcher.subscribed(FW_1);
        launcher.offers(List.of(offer("o1", "a1")));

        assertThat(placed).containsExactly("a1.ci (agent a1, attempt 1)");
        assertThat(count(Call.Type.RECONCILE)).isZero();
    }

    @Test
    void anUnansweredReconciliationIsRepeatedWithGrowingWaitsUntilEveryTaskIsAnswered() {
        launcher.adopt(placedRun("r1", "a1", 1), clone("r1"), listener);
        launcher.subscribed(FW_1);
        assertThat(count(Call.Type.RECONCILE)).isEqualTo(1);

        tickAfter(Duration.ofSeconds(4));
        assertThat(count(Call.Type.RECONCILE)).isEqualTo(1);
        tickAfter(Duration.ofSeconds(1));
        assertThat(count(Call.Type.RECONCILE)).isEqualTo(2);

        launcher.update(status("r1.cassandra.1", "a1", TaskState.TASK_RUNNING, "").toBuilder().clearUuid().build());
        tickAfter(Duration.ofSeconds(9));
        assertThat(count(Call.Type.RECONCILE)).isEqualTo(2);
        tickAfter(Duration.ofSeconds(1));
        assertThat(count(Call.Type.RECONCILE)).isEqualTo(3);
        assertThat(last(Call.Type.RECONCILE).getReconcile().getTasksList())
                .extracting(t -> t.getTaskId().getValue()).containsExactly("r1.tests.1");

        launcher.update(status("r1.tests.1", "a1", TaskState.TASK_RUNNING, "").toBuilder().clearUuid().build());
        tickAfter(Duration.ofMinutes(5));
        assertThat(count(Call.Type.RECONCILE)).isEqualTo(3);
    }

    @Test
    void tasksStuckInStagingAreKilledAndTheRunTriedOnAnotherAgent() {
        CompletableFuture<ExecutionResult> result = r1PlacedOnA1();

        tickAfter(Duration.ofMinutes(9));
        assertThat(count(Call.Type.KILL)).isZero();
        tickAfter(Duration.ofMinutes(1));
        assertThat(sent.stream().filter(c -> c.getType() == Call.Type.KILL).map(c -> c.getKill().getTaskId().getValue()))
                .containsExactlyInAnyOrder("r1.cassandra.1", "r1.tests.1");

        bothTasks("r1", 1, "a1", TaskState.TASK_KILLED, "");
        assertThat(launcher.waitingRuns()).containsExactly("r1");
        assertThat(result).isNotDone();
    }

    @Test
    void aKillThatIsNotObeyedIsSentAgain() {
        r1PlacedOnA1();
        launcher.update(status("r1.tests.1", "a1", TaskState.TASK_FINISHED, "Command exited with status 0"));
        assertThat(count(Call.Type.KILL)).isEqualTo(1);

        tickAfter(Duration.ofSeconds(29));
        assertThat(count(Call.Type.KILL)).isEqualTo(1);
        tickAfter(Duration.ofSeconds(1));
        assertThat(count(Call.Type.KILL)).isEqualTo(2);
        assertThat(last(Call.Type.KILL).getKill().getTaskId().getValue()).isEqualTo("r1.cassandra.1");

        launcher.update(status("r1.cassandra.1", "a1", TaskState.TASK_KILLED, ""));
        tickAfter(Duration.ofMinutes(1));
        assertThat(count(Call.Type.KILL)).isEqualTo(2);
    }

    @Test
    void anUnreachableAgentDoesNotHoldTheRunBack() {
        CompletableFuture<ExecutionResult> result = r1PlacedOnA1();

        bothTasks("r1", 1, "a1", TaskState.TASK_UNREACHABLE, "agent partitioned");
        assertThat(launcher.waitingRuns()).containsExactly("r1");
        launcher.offers(List.of(offer("o2", "a2")));
        assertThat(placed).last().asString().contains("attempt 2");

        // The partition heals: the old attempt's tasks come back and are killed.
        launcher.update(status("r1.tests.1", "a1", TaskState.TASK_RUNNING, ""));
        assertThat(last(Call.Type.KILL).getKill().getTaskId().getValue()).isEqualTo("r1.tests.1");
        assertThat(result).isNotDone();
    }

    @Test
    void runsPlacedOnOneOfferGoInItsOneAcceptAndTheMatcherHearsWhenTheyEnd() {
        List<String> released = new ArrayList<>();
        OfferMatcher allOnFirst = new OfferMatcher() {
            @Override
            public Matches match(List<String> waiting, List<Offer> offers) {
                List<Match> matches = new ArrayList<>();
                for (int i = 0; i < waiting.size(); i++) {
                    matches.add(new Match(waiting.get(i), offers.get(0), new RunPorts(31000 + 3 * i, 31001 + 3 * i, 31002 + 3 * i)));
                }
                return new Matches(matches, List.of());
            }

            @Override
            public void released(String runId) {
                released.add(runId);
            }
        };
        launcher = launcher(allOnFirst, new InMemoryFrameworkIdStore(), RAN_THE_TESTS);
        launcher.subscribed(FW_1);
        CompletableFuture<ExecutionResult> first = launcher.launch(run("r1"), clone("r1"), listener);
        launcher.launch(run("r2"), clone("r2"), listener);

        launcher.offers(List.of(offer("o1", "a1")));

        assertThat(count(Call.Type.ACCEPT)).isEqualTo(1);
        assertThat(last(Call.Type.ACCEPT).getAccept().getOperationsList())
                .extracting(op -> op.getLaunchGroup().getTaskGroup().getTasks(1).getTaskId().getValue())
                .containsExactly("r1.tests.1", "r2.tests.1");
        launcher.update(status("r1.tests.1", "a1", TaskState.TASK_FAILED, "Command exited with status 1"));
        launcher.update(status("r1.cassandra.1", "a1", TaskState.TASK_KILLED, ""));
        assertThat(first.join().outcome()).isEqualTo(Phase.FAILED);
        assertThat(released).containsExactly("r1");
    }

    @Test
    void aReviveHeldBackByTheRateLimitIsSentOnceTheIntervalHasPassed() {
        launcher.subscribed(FW_1);
        launcher.launch(run("r1"), clone("r1"), listener);
        assertThat(count(Call.Type.REVIVE)).isEqualTo(1);

        // A second run right after: offers flow already, but agents declined meanwhile are filtered for minutes, so
        // a REVIVE is still wanted; the rate limit holds it back...
        launcher.launch(run("r2"), clone("r2"), listener);
        tickAfter(Duration.ofSeconds(4));
        assertThat(count(Call.Type.REVIVE)).isEqualTo(1);
        // ...until the interval has passed; then it goes, once.
        tickAfter(Duration.ofSeconds(1));
        assertThat(count(Call.Type.REVIVE)).isEqualTo(2);
        tickAfter(Duration.ofSeconds(10));
        assertThat(count(Call.Type.REVIVE)).isEqualTo(2);
    }

    @Test
    void theVerdictCarriesTheCountsAndWordsOfTheReportTheTestsTaskLeftInItsSandbox() {
        List<String> asked = new ArrayList<>();
        TestsReports reports = (agentUrl, frameworkId, executorId, taskId) -> {
            asked.add(agentUrl + " " + frameworkId + " " + executorId + " " + taskId);
            return CompletableFuture.completedFuture(Optional.of(new io.snapci.model.tasks.TestsTaskReport(
                    Phase.FAILED, 1, "1 of 3 tests failed: GuestbookTest.rendersEntries",
                    new io.snapci.model.TestCounts(3, 1, 0, 0, List.of()))));
        };
        launcher = launcher(firstFit, new InMemoryFrameworkIdStore(), reports);
        launcher.subscribed(FW_1);
        CompletableFuture<ExecutionResult> result = launcher.launch(run("r1"), clone("r1"), listener);
        launcher.offers(List.of(offer("o1", "a1").toBuilder().setUrl(org.apache.mesos.v1.Protos.URL.newBuilder()
                .setScheme("http").setAddress(org.apache.mesos.v1.Protos.Address.newBuilder().setHostname("a1.ci")
                        .setIp("10.0.3.7").setPort(5051))).build()));

        launcher.update(status("r1.tests.1", "a1", TaskState.TASK_FAILED, "Command exited with status 1"));
        launcher.update(status("r1.cassandra.1", "a1", TaskState.TASK_KILLED, ""));

        ExecutionResult ended = result.join();
        assertThat(ended.outcome()).isEqualTo(Phase.FAILED);
        assertThat(ended.testExitCode()).isEqualTo(1);
        assertThat(ended.tests().failures()).isEqualTo(1);
        assertThat(ended.message()).isEqualTo("1 of 3 tests failed: GuestbookTest.rendersEntries");
        assertThat(asked).containsExactly("http://10.0.3.7:5051 fw-1 r1.executor.1 r1.tests.1");
    }

    @Test
    void aReportThatCannotBeReadLeavesTheVerdictToTheExitStatus() {
        TestsReports broken = (agentUrl, frameworkId, executorId, taskId) ->
                CompletableFuture.failedFuture(new IllegalStateException("agent gone"));
        launcher = launcher(firstFit, new InMemoryFrameworkIdStore(), broken);
        CompletableFuture<ExecutionResult> result = r1PlacedOnA1();
        launcher.update(status("r1.tests.1", "a1", TaskState.TASK_FINISHED, "Command exited with status 0"));
        launcher.update(status("r1.cassandra.1", "a1", TaskState.TASK_KILLED, ""));

        assertThat(result.join().outcome()).isEqualTo(Phase.PASSED);
        assertThat(result.join().tests()).isNull();
    }

    private static TaskStatus status(String taskId, String agent, TaskState state, String message,
                                     TaskStatus.Reason reason) {
        return status(taskId, agent, state, message).toBuilder().setReason(reason).build();
    }

    @Test
    void aTestsTaskThatExitsWithoutLeavingAReportNeverRanTheTestsAndIsAnError() {
        launcher = launcher(firstFit, new InMemoryFrameworkIdStore(), TestsReports.NONE);
        CompletableFuture<ExecutionResult> result = r1PlacedOnA1();

        // What the default executor says when the fetch of the executor bundle failed (the fetch error itself
        // does not reach the framework): the same words as a test command that exited 1.
        launcher.update(status("r1.tests.1", "a1", TaskState.TASK_FAILED, "Command exited with status 1"));
        launcher.update(status("r1.cassandra.1", "a1", TaskState.TASK_KILLED, "Command terminated with signal Terminated"));

        ExecutionResult ended = result.join();
        assertThat(ended.outcome()).isEqualTo(Phase.ERROR);
        assertThat(ended.message()).contains("left no snapci-result.json").contains("snapci logs --task tests");
    }

    @Test
    void anOutOfMemoryKillIsAnErrorThatSaysWhichMemoryToRaiseAndIsNotRetried() {
        CompletableFuture<ExecutionResult> result = r1PlacedOnA1();
        launcher.update(status("r1.tests.1", "a1", TaskState.TASK_RUNNING, ""));

        launcher.update(status("r1.tests.1", "a1", TaskState.TASK_FAILED, "Command terminated with signal Killed: "
                + "Memory limit exceeded: Requested: 1056MB Maximum Used: 1056MB",
                TaskStatus.Reason.REASON_CONTAINER_LIMITATION_MEMORY));
        launcher.update(status("r1.cassandra.1", "a1", TaskState.TASK_KILLED, ""));

        ExecutionResult ended = result.join();
        assertThat(ended.outcome()).isEqualTo(Phase.ERROR);
        assertThat(ended.message()).contains("ran out of memory").contains("tests.mem");
        assertThat(count(Call.Type.ACCEPT)).isEqualTo(1);
    }

    @Test
    void aTaskThatCouldNotBeLaunchedOnItsAgentSendsTheRunToAnotherAgent() {
        CompletableFuture<ExecutionResult> result = r1PlacedOnA1();
        bothTasks("r1", 1, "a1", TaskState.TASK_STARTING, "");

        // dvdcli's failure to mount the copy (it may still be attached to a lost agent): before TASK_RUNNING.
        launcher.update(status("r1.cassandra.1", "a1", TaskState.TASK_FAILED,
                "Unexpected termination of the subprocess: volume snapci-r1 is attached on another node"));
        launcher.update(status("r1.tests.1", "a1", TaskState.TASK_KILLED, "Command terminated with signal Killed"));

        assertThat(result).isNotDone();
        assertThat(launcher.waitingRuns()).containsExactly("r1");
        launcher.offers(List.of(offer("o2", "a2")));
        assertThat(last(Call.Type.ACCEPT).getAccept().getOperations(0).getLaunchGroup().getTaskGroup().getTasks(0)
                .getTaskId().getValue()).isEqualTo("r1.cassandra.2");
    }

    @Test
    void aTaskGroupTheMasterRefusesIsAnErrorNotRetried() {
        CompletableFuture<ExecutionResult> result = r1PlacedOnA1();

        launcher.update(status("r1.cassandra.1", "a1", TaskState.TASK_ERROR, "Executor uses no disk",
                TaskStatus.Reason.REASON_TASK_GROUP_INVALID));
        launcher.update(status("r1.tests.1", "a1", TaskState.TASK_ERROR, "Executor uses no disk",
                TaskStatus.Reason.REASON_TASK_GROUP_INVALID));

        ExecutionResult ended = result.join();
        assertThat(ended.outcome()).isEqualTo(Phase.ERROR);
        assertThat(ended.message()).contains("Mesos refused the task group").contains("Executor uses no disk");
        assertThat(launcher.waitingRuns()).isEmpty();
    }

    @Test
    void aRunStuckInStartingIsGivenUpOnItsAgentLikeOneStuckInStaging() {
        CompletableFuture<ExecutionResult> result = r1PlacedOnA1();
        bothTasks("r1", 1, "a1", TaskState.TASK_STARTING, "");

        tickAfter(Duration.ofMinutes(11));  // the image pull never ends

        assertThat(types()).contains(Call.Type.KILL);
        bothTasks("r1", 1, "a1", TaskState.TASK_KILLED, "");
        assertThat(result).isNotDone();
        assertThat(launcher.waitingRuns()).containsExactly("r1");

        // The kills of the given-up attempt say nothing of the run: the next attempt's tests decide it.
        launcher.offers(List.of(offer("o2", "a2")));
        launcher.update(status("r1.tests.2", "a2", TaskState.TASK_FINISHED, "Command exited with status 0"));
        launcher.update(status("r1.cassandra.2", "a2", TaskState.TASK_KILLED, ""));
        assertThat(result.join().outcome()).isEqualTo(Phase.PASSED);
    }

    // ---- a masked run: its node masks the copy and tells so on its stdout ---------------------------------------

    /** A masked run's cassandra task's stdout as the agent serves it, grown by the test; every read is recorded. */
    private static final class GrowingStdout implements NodeLogs {
        final StringBuilder printed = new StringBuilder();
        final List<String> reads = new ArrayList<>();
        CompletableFuture<Optional<String>> held;

        @Override
        public synchronized CompletableFuture<Optional<String>> read(String agentUrl, String frameworkId,
                                                                     String executorId, String taskId, long offset) {
            reads.add(agentUrl + " " + frameworkId + " " + executorId + " " + taskId + " @" + offset);
            if (held != null) {
                return held;
            }
            byte[] all = printed.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
            return CompletableFuture.completedFuture(Optional.of(new String(all, (int) offset,
                    all.length - (int) offset, java.nio.charset.StandardCharsets.UTF_8)));
        }
    }

    private final List<String> progress = new ArrayList<>();
    private final LaunchListener heard = new LaunchListener() {
        @Override
        public void onPhase(Phase phase, String note) {
            phases.add(phase);
            progress.add(phase + ": " + note);
        }

        @Override
        public void onProgress(String note) {
            progress.add(note);
        }
    };

    private MesosLauncher maskingLauncher(NodeLogs logs) {
        return launcher(firstFit, new InMemoryFrameworkIdStore(), RAN_THE_TESTS, logs);
    }

    private static RunStatus maskedRun(String id) {
        RunStatus plain = run(id);
        return RunStatus.queued(id, plain.spec().withMask(io.snapci.model.mask.MaskRules.parse(
                "guestbook.entries.author: name")), Instant.now());
    }

    /** r1, masked, placed on agent a1 (which the offer says listens at 10.0.3.7:5051); its cassandra task runs. */
    private CompletableFuture<ExecutionResult> maskedR1Running() {
        launcher.subscribed(FW_1);
        CompletableFuture<ExecutionResult> result = launcher.launch(maskedRun("r1"), clone("r1"), heard);
        launcher.offers(List.of(offer("o1", "a1").toBuilder().setUrl(org.apache.mesos.v1.Protos.URL.newBuilder()
                .setScheme("http").setPath("/slave(1)").setAddress(org.apache.mesos.v1.Protos.Address.newBuilder()
                        .setIp("10.0.3.7").setPort(5051))).build()));
        launcher.update(status("r1.cassandra.1", "a1", TaskState.TASK_RUNNING, ""));
        return result;
    }

    @Test
    void aMaskedRunShowsTheMaskingPhaseAndProgressItsNodePrintsAndNothingElseOfItsOutput() {
        GrowingStdout stdout = new GrowingStdout();
        launcher = maskingLauncher(stdout);
        maskedR1Running();
        stdout.printed.append("INFO  [main] Cassandra's own log line\n[snapci] booting the copy on 127.0.0.2\n");

        tickAfter(Duration.ofSeconds(1));
        assertThat(stdout.reads).containsExactly("http://10.0.3.7:5051 fw-1 r1.executor.1 r1.cassandra.1 @0");
        assertThat(phases).doesNotContain(Phase.MASKING);

        int before = stdout.printed.length();
        stdout.printed.append("[snapci] MASKING: masking the copy: guestbook.entries.author: name\n"
                + "[snapci] guestbook.entries: 12 rows masked\n[snapci] guestbook.ent");
        tickAfter(Duration.ofSeconds(1));
        assertThat(stdout.reads.get(1)).endsWith("@" + before);
        assertThat(phases).containsSubsequence(Phase.STARTING_CASSANDRA, Phase.MASKING);
        assertThat(progress).containsSubsequence("MASKING: masking the copy: guestbook.entries.author: name",
                "guestbook.entries: 12 rows masked").doesNotContain("guestbook.ent")
                .noneMatch(line -> line.contains("Cassandra's own"));

        // The rest of the line arrives with the next read; the node's later RUNNING updates do not undo MASKING.
        stdout.printed.append("ries: 3 rows deleted\n");
        tickAfter(Duration.ofSeconds(1));
        launcher.update(status("r1.cassandra.1", "a1", TaskState.TASK_RUNNING, "").toBuilder()
                .setUuid(ByteString.copyFromUtf8("again")).build());
        assertThat(progress).contains("guestbook.entries: 3 rows deleted");
        assertThat(phases.get(phases.size() - 1)).isEqualTo(Phase.MASKING);
    }

    @Test
    void oneReadOfANodesOutputIsInFlightAtATimeAndALateAnswerOfALostAttemptIsDropped() {
        GrowingStdout stdout = new GrowingStdout();
        stdout.held = new CompletableFuture<>();
        launcher = maskingLauncher(stdout);
        maskedR1Running();

        tickAfter(Duration.ofSeconds(1));
        tickAfter(Duration.ofSeconds(1));
        assertThat(stdout.reads).hasSize(1);

        stdout.held.complete(Optional.of("[snapci] MASKING: masking the copy\n"));
        assertThat(phases).contains(Phase.MASKING);
    }

    @Test
    void aMaskedRunLostOnceItsNodeRanIsAnErrorAndNotGivenAPartlyMaskedCopyAgain() {
        launcher = maskingLauncher(NodeLogs.NONE);
        CompletableFuture<ExecutionResult> result = maskedR1Running();

        launcher.update(status("r1.cassandra.1", "a1", TaskState.TASK_LOST, "agent gone"));
        launcher.update(status("r1.tests.1", "a1", TaskState.TASK_LOST, "agent gone"));

        ExecutionResult ended = result.join();
        assertThat(ended.outcome()).isEqualTo(Phase.ERROR);
        assertThat(ended.message()).contains("masked in part").contains("Run it again");
        assertThat(count(Call.Type.ACCEPT)).isEqualTo(1);
        assertThat(launcher.waitingRuns()).isEmpty();
    }

    @Test
    void aMaskedRunLostBeforeItsNodeRanIsTriedAgainLikeAnyOther() {
        launcher = maskingLauncher(NodeLogs.NONE);
        launcher.subscribed(FW_1);
        CompletableFuture<ExecutionResult> result = launcher.launch(maskedRun("r1"), clone("r1"), heard);
        launcher.offers(List.of(offer("o1", "a1")));

        launcher.update(status("r1.cassandra.1", "a1", TaskState.TASK_LOST, "agent gone"));
        launcher.update(status("r1.tests.1", "a1", TaskState.TASK_LOST, "agent gone"));

        assertThat(result).isNotDone();
        assertThat(launcher.waitingRuns()).containsExactly("r1");
    }
}
