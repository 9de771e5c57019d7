package io.snapci.scheduler.mesos.launch;

import io.snapci.model.Phase;
import io.snapci.model.tasks.TestsTask;
import org.apache.mesos.v1.Protos.TaskStatus;

import java.time.Clock;
import java.time.Duration;

/**
 * What a status update of a run's tasks means for the run: the tests task's end is the verdict (exit 0 PASSED,
 * exit {@value TestsTask#EXIT_INFRASTRUCTURE} "could not run the tests" ERROR, any other exit FAILED); Cassandra
 * ending before the tests did is ERROR; a succeeded TCP check on the CQL port means the tests run now. Once there
 * is a verdict, the attempt's other tasks are killed (the default executor stops the group only when a task fails,
 * src/launcher/default_executor.cpp, not when the tests finish).
 */
final class VerdictRules {

    /** What a rule asks of the launcher besides changing the attempt. */
    interface Actions {
        /** Kills the attempt's tasks that have not ended. */
        void killLiveTasks(RunAttempt attempt);

        /** Starts reading the report the tests task left in its sandbox. */
        void fetchReport(RunAttempt attempt, TaskStatus status);
    }

    private final Clock clock;
    private final Actions actions;

    VerdictRules(Clock clock, Actions actions) {
        this.clock = clock;
        this.actions = actions;
    }

    void cassandra(RunAttempt attempt, TaskStatus status) {
        switch (status.getState()) {
            case TASK_STARTING, TASK_RUNNING -> {
                attempt.phase(Phase.STARTING_CASSANDRA, "Cassandra task " + status.getState());
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
            case TASK_FINISHED, TASK_FAILED, TASK_KILLED -> {
                if (attempt.verdict == null) {
                    attempt.verdict(Phase.ERROR, null, "The Cassandra task ended before the tests did: "
                            + TaskOutcome.describe(status) + ". Look at its log (snapci logs --task cassandra).");
                    actions.killLiveTasks(attempt);
                }
            }
            default -> {
            }
        }
    }

    void tests(RunAttempt attempt, TaskStatus status) {
        switch (status.getState()) {
            case TASK_FINISHED -> {
                actions.fetchReport(attempt, status);
                attempt.verdict(Phase.PASSED, 0, "Tests passed.");
                actions.killLiveTasks(attempt);
            }
            case TASK_FAILED -> {
                actions.fetchReport(attempt, status);
                int exit = TaskOutcome.exitStatus(status).orElse(1);
                if (exit == TestsTask.EXIT_INFRASTRUCTURE) {
                    attempt.verdict(Phase.ERROR, exit, "The tests could not run: " + TaskOutcome.describe(status)
                            + ". See the tests task's log.");
                } else {
                    attempt.verdict(Phase.FAILED, exit, "Tests failed (exit " + exit + ").");
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
