package io.snapci.scheduler.mesos.launch;

import io.snapci.model.ExecutionResult;
import io.snapci.model.Phase;
import io.snapci.model.RunStatus;
import io.snapci.model.tasks.TestsTaskReport;
import io.snapci.scheduler.core.launch.LaunchListener;
import io.snapci.scheduler.core.storage.Clone;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.TaskState;

import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * A run the launcher owns, from launch until its future completes, and where its current attempt is: the agent, the
 * last known state of each of the attempt's tasks, whether Cassandra answered, and the verdict once there is one.
 * Not thread-safe: the launcher changes it under its own lock.
 */
final class RunAttempt {

    final RunStatus run;
    final Clone clone;
    final LaunchListener listener;
    final CompletableFuture<ExecutionResult> result = new CompletableFuture<>();
    /** The tasks of the current attempt and their last known state. */
    final Map<String, TaskState> states = new LinkedHashMap<>();
    /** The tasks of the current attempt that were reported TASK_RUNNING: a failure after it is no launch failure. */
    final Set<String> running = new HashSet<>();
    Instant launchedAt;
    int attempt = 1;
    AgentID agent;
    String agentUrl;
    boolean cassandraReady;
    boolean cancelling;
    /** The attempt was lost to the infrastructure: once its tasks have ended, the run goes to another agent. */
    boolean retry;
    boolean stuckGivenUp;
    CompletableFuture<Optional<TestsTaskReport>> report;
    Phase verdict;
    Integer exitCode;
    String message;
    private Phase reported;

    RunAttempt(RunStatus run, Clone clone, LaunchListener listener, Instant now) {
        this.run = run;
        this.clone = clone;
        this.listener = listener;
        this.launchedAt = now;
    }

    String runId() {
        return run.id();
    }

    /** The first verdict stands: later task ends (the kills that follow it) do not change it. */
    void verdict(Phase phase, Integer exit, String text) {
        if (verdict == null) {
            verdict = phase;
            exitCode = exit;
            message = text;
        }
    }

    /** Tells the run service of a phase once, however many updates say it. */
    void phase(Phase phase, String note) {
        if (reported != phase) {
            reported = phase;
            listener.onPhase(phase, note);
        }
    }

    /** Whether the last phase told to the run service is this one. */
    boolean hasReported(Phase phase) {
        return reported == phase;
    }

    /** Where a taken-over run already was, so the same phase is not reported again. */
    void alreadyIn(Phase phase) {
        reported = phase;
    }

    /** Every task of this attempt has ended (or is unreachable: a CI run does not wait for a partitioned agent). */
    boolean attemptEnded() {
        return states.values().stream().allMatch(s -> TaskOutcome.isTerminal(s) || s == TaskState.TASK_UNREACHABLE);
    }

    /** Whether the update's task was reported TASK_RUNNING (by this or an earlier update). */
    boolean wasRunning(org.apache.mesos.v1.Protos.TaskStatus status) {
        return running.contains(status.getTaskId().getValue());
    }

    /** Keeps the task's new state, and that it ran. */
    void record(org.apache.mesos.v1.Protos.TaskStatus status) {
        states.put(status.getTaskId().getValue(), status.getState());
        if (status.getState() == TaskState.TASK_RUNNING) {
            running.add(status.getTaskId().getValue());
        }
    }

    /** Starts the next attempt: the run waits for an offer again. */
    void nextAttempt(Instant now) {
        retry = false;
        attempt++;
        states.clear();
        running.clear();
        agent = null;
        agentUrl = null;
        cassandraReady = false;
        stuckGivenUp = false;
        report = null;
        verdict = null;
        exitCode = null;
        message = null;
        launchedAt = now;
    }
}
