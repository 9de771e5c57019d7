package io.snapci.scheduler.mesos.launch;

import io.snapci.model.Phase;
import io.snapci.model.tasks.TestsTask;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;

import java.time.Clock;
import java.time.Duration;

/**
 * What a status update of a run's tasks means for the run: the tests task's own exit is the verdict (exit 0
 * PASSED, exit {@value TestsTask#EXIT_INFRASTRUCTURE} "could not run the tests" ERROR, any other exit FAILED);
 * anything else the default executor or the agent reports — a memory or disk limit, a launch that failed, a signal
 * from outside, a refused task group — is the infrastructure's ({@link TaskFailure}): ERROR with what to do, or
 * another agent when that could help. Cassandra ending before the tests did is ERROR; a succeeded TCP check on the
 * CQL port means the tests run now. Once there is a verdict, the attempt's other tasks are killed (the default
 * executor stops the group only when a task fails, src/launcher/default_executor.cpp, not when the tests finish).
 */
final class VerdictRules {

    /** What a rule asks of the launcher besides changing the attempt. */
    interface Actions {
        /** Kills the attempt's tasks that have not ended. */
        void killLiveTasks(RunAttempt attempt);

        /** Starts reading the report the tests task left in its sandbox. */
        void fetchReport(RunAttempt attempt, TaskStatus status);

        /** The attempt was lost to its agent (a launch that failed there): another agent may do better. */
        void lost(RunAttempt attempt, String why);
    }

    private final Clock clock;
    private final Actions actions;

    VerdictRules(Clock clock, Actions actions) {
        this.clock = clock;
        this.actions = actions;
    }

    void cassandra(RunAttempt attempt, TaskStatus status) {
        if (attempt.retry) {
            return;  // the attempt is given up: its tasks' ends (the kills) say nothing of the run
        }
        switch (status.getState()) {
            case TASK_STARTING, TASK_RUNNING -> {
                if (!attempt.hasReported(Phase.MASKING)) {  // a masking node's updates (its checks) change nothing
                    attempt.phase(Phase.STARTING_CASSANDRA, "Cassandra task " + status.getState());
                }
                if (status.hasCheckStatus() && status.getCheckStatus().hasTcp()
                        && status.getCheckStatus().getTcp().getSucceeded()) {
                    if (!attempt.cassandraReady) {
                        attempt.cassandraReady = true;
                        attempt.listener.onCassandraReady(
                                Duration.between(attempt.launchedAt, clock.instant()).toMillis());
                    }
                    // Reported once (a phase is), also for a run taken over between the two writes.
                    attempt.phase(Phase.TESTING, "Cassandra answers on its CQL port; the tests run");
                }
            }
            case TASK_FINISHED, TASK_FAILED, TASK_KILLED, TASK_ERROR -> {
                if (attempt.verdict != null) {
                    return;
                }
                if (status.getState() == TaskState.TASK_KILLED && attempt.cancelling) {
                    attempt.verdict(Phase.CANCELLED, null, "cancelled");
                } else {
                    TaskFailure failure = TaskFailure.of(status, attempt.wasRunning(status));
                    if (failure.worthAnotherAgent()) {
                        actions.lost(attempt, failure.explain("Cassandra", "cassandra.mem"));
                        return;
                    }
                    attempt.verdict(Phase.ERROR, null, status.getState() == TaskState.TASK_FINISHED
                            ? "The Cassandra task ended before the tests did: " + TaskOutcome.describe(status) + "."
                            + " Look at its logs (snapci logs --task cassandra, and --stderr for the agent's fetcher and"
                            + " snapci's node launcher)."
                            : failure.explain("Cassandra", "cassandra.mem") + " Look at its logs (snapci logs --task "
                            + "cassandra, and --stderr for the agent's fetcher and snapci's node launcher).");
                }
                actions.killLiveTasks(attempt);
            }
            default -> {
            }
        }
    }

    /**
     * The tests task runs the command only once Cassandra answers CQL, so a command that ended had a ready Cassandra,
     * even when the agent's TCP check has not said so yet: the check runs at its interval after a delay
     * (src/checks/checker_process.cpp), so a quick test command can end before its first success is reported, the
     * more so on a busy agent. No readiness time is made up for it.
     */
    private static void testsRan(RunAttempt attempt) {
        if (!attempt.cassandraReady && !attempt.hasReported(Phase.TESTING)) {
            if (!attempt.hasReported(Phase.STARTING_CASSANDRA) && !attempt.hasReported(Phase.MASKING)) {
                // Updates of different tasks need not arrive in order: the tests may end before Cassandra's RUNNING.
                attempt.phase(Phase.STARTING_CASSANDRA, "Cassandra task started");
            }
            attempt.phase(Phase.TESTING, "the tests task found Cassandra answering before the agent's check said so");
        }
    }

    void tests(RunAttempt attempt, TaskStatus status) {
        if (attempt.retry) {
            return;
        }
        switch (status.getState()) {
            case TASK_FINISHED -> {
                if (attempt.verdict != null) {
                    // Already decided (Cassandra failed, or the attempt was given up as stuck with no attempt
                    // left): tests that still got to run and pass, because a kill of a container that was still
                    // launching is dropped (default_executor.cpp), do not turn it into a pass.
                    return;
                }
                testsRan(attempt);
                actions.fetchReport(attempt, status);
                attempt.verdict(Phase.PASSED, 0, "Tests passed.");
                actions.killLiveTasks(attempt);
            }
            case TASK_FAILED, TASK_ERROR -> {
                if (attempt.verdict != null) {
                    return;
                }
                TaskFailure failure = TaskFailure.of(status, attempt.wasRunning(status));
                if (failure.kind() == TaskFailure.Kind.EXITED) {
                    // The tests task's own exit; a FAILED stands only if its report says the tests ran (a fetch
                    // that failed also ends "Command exited with status 1", src/slave/containerizer/fetcher.cpp).
                    actions.fetchReport(attempt, status);
                    int exit = failure.exitStatus().orElse(1);
                    if (exit == TestsTask.EXIT_INFRASTRUCTURE) {
                        attempt.verdict(Phase.ERROR, exit, "The tests could not run: " + TaskOutcome.describe(status)
                                + ". See the tests task's log.");
                    } else {
                        testsRan(attempt);
                        attempt.verdict(Phase.FAILED, exit, "Tests failed (exit " + exit + ").");
                    }
                } else if (failure.worthAnotherAgent()) {
                    actions.lost(attempt, failure.explain("tests", "tests.mem"));
                    return;
                } else {
                    attempt.verdict(Phase.ERROR, null, failure.explain("tests", "tests.mem")
                            + " See the tests task's log (snapci logs --stderr).");
                }
                actions.killLiveTasks(attempt);
            }
            case TASK_KILLED -> {
                if (attempt.verdict == null) {
                    attempt.verdict(attempt.cancelling ? Phase.CANCELLED : Phase.ERROR, null,
                            "The tests task was killed: " + TaskOutcome.describe(status));
                    actions.killLiveTasks(attempt);
                }
            }
            default -> {
            }
        }
    }
}
