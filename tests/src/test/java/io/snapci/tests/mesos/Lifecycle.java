package io.snapci.tests.mesos;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.mesos.v1.Protos.CheckInfo;
import org.apache.mesos.v1.Protos.CheckStatusInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;

/**
 * What a launched task reports, step by step, as the agent's default executor would: each step is one status update
 * sent some time after the previous one. After the last step a non-terminal task keeps running until it is killed.
 *
 * <pre>{@code
 * Lifecycle.of(TASK_STARTING, TASK_RUNNING).thenTcpCheckPassed().after(Duration.ofMillis(50))
 * Lifecycle.of(TASK_STARTING, TASK_RUNNING).thenExits(0).after(Duration.ofMillis(300))   // TASK_FINISHED
 * Lifecycle.of(TASK_STARTING, TASK_RUNNING).thenExits(7)                                  // TASK_FAILED
 * }</pre>
 *
 * <p>Immutable: every method returns a new lifecycle.
 */
public final class Lifecycle {

    /** One status update of the script. Null fields are left out of the TaskStatus. */
    /** @param files what the task has written into its sandbox by the time of this update (name → content) */
    record Step(TaskState state, Duration delay, String message, TaskStatus.Reason reason,
            CheckStatusInfo checkStatus, java.util.Map<String, String> files) {

        Step {
            files = files == null ? java.util.Map.of() : java.util.Map.copyOf(files);
        }

        Step(TaskState state, Duration delay, String message, TaskStatus.Reason reason, CheckStatusInfo checkStatus) {
            this(state, delay, message, reason, checkStatus, null);
        }
    }

    private final List<Step> steps;

    private Lifecycle(List<Step> steps) {
        this.steps = List.copyOf(steps);
    }

    /** These states one after the other, without delay. */
    public static Lifecycle of(TaskState... states) {
        Lifecycle l = new Lifecycle(List.of());
        for (TaskState s : states) {
            l = l.then(s);
        }
        return l;
    }

    /** TASK_STARTING, TASK_RUNNING, then runs until killed: the default for tasks no rule matches. */
    public static Lifecycle runsUntilKilled() {
        return of(TaskState.TASK_STARTING, TaskState.TASK_RUNNING);
    }

    /**
     * A cassandra task on a healthy agent: starting, running, and its CQL port answering 100 ms later (the TCP check's
     * success as src/launcher/default_executor.cpp taskCheckUpdated sends it, see {@link #thenTcpCheckPassed}).
     */
    public static Lifecycle cassandraAnswering() {
        return of(TaskState.TASK_STARTING, TaskState.TASK_RUNNING).thenTcpCheckPassed().after(Duration.ofMillis(100));
    }

    /**
     * A tests task whose {@code tests} tests pass: it exits 0 after 300 ms ("Command exited with status 0",
     * src/launcher/default_executor.cpp), leaving the report snapci's tests task writes ({@code snapci-result.json}).
     */
    public static Lifecycle testsPassing(int tests) {
        return of(TaskState.TASK_STARTING, TaskState.TASK_RUNNING).thenExits(0).after(Duration.ofMillis(300))
                .writing("snapci-result.json", "{\"outcome\":\"PASSED\",\"exitCode\":0,\"message\":"
                        + "\"Tests passed\",\"tests\":{\"tests\":" + tests + ",\"failures\":0,\"errors\":0,"
                        + "\"skipped\":0,\"failed\":[]}}");
    }

    /** No update at all: the task stays TASK_STAGING (an executor that never starts). */
    public static Lifecycle silent() {
        return new Lifecycle(List.of());
    }

    public Lifecycle then(TaskState state) {
        return append(new Step(state, Duration.ZERO, null, null, null));
    }

    /**
     * The command exits: TASK_FINISHED for 0, else TASK_FAILED; both with the default executor's message
     * "Command exited with status N" (mesos 1.11.0 {@code src/launcher/default_executor.cpp}: {@code "Command " +
     * WSTRINGIFY(status)}), which is where schedulers read the exit code from.
     */
    public Lifecycle thenExits(int exitCode) {
        return append(new Step(exitCode == 0 ? TaskState.TASK_FINISHED : TaskState.TASK_FAILED, Duration.ZERO,
                "Command exited with status " + exitCode, null, null));
    }

    /**
     * The task's TCP check succeeded: TASK_RUNNING again, with {@code check_status.tcp.succeeded = true} and reason
     * REASON_TASK_CHECK_STATUS_UPDATED, as the default executor's {@code taskCheckUpdated} sends it.
     */
    public Lifecycle thenTcpCheckPassed() {
        CheckStatusInfo check = CheckStatusInfo.newBuilder().setType(CheckInfo.Type.TCP)
                .setTcp(CheckStatusInfo.Tcp.newBuilder().setSucceeded(true)).build();
        return append(new Step(TaskState.TASK_RUNNING, Duration.ZERO, null,
                TaskStatus.Reason.REASON_TASK_CHECK_STATUS_UPDATED, check));
    }

    /** Delays the last step by {@code delay} (counted from the step before it). */
    public Lifecycle after(Duration delay) {
        return replaceLast(last().state(), Objects.requireNonNull(delay), last().message(), last().reason(),
                last().checkStatus());
    }

    /** The task has written {@code name} into its sandbox by the last step (readable through the agent's files API). */
    public Lifecycle writing(String name, String content) {
        Step last = last();
        java.util.Map<String, String> files = new java.util.LinkedHashMap<>(last.files());
        files.put(name, content);
        List<Step> next = new ArrayList<>(steps);
        next.set(next.size() - 1, new Step(last.state(), last.delay(), last.message(), last.reason(),
                last.checkStatus(), files));
        return new Lifecycle(next);
    }

    /** Sets the message of the last step. */
    public Lifecycle withMessage(String message) {
        return replaceLast(last().state(), last().delay(), message, last().reason(), last().checkStatus());
    }

    /** Sets the reason of the last step. */
    public Lifecycle withReason(TaskStatus.Reason reason) {
        return replaceLast(last().state(), last().delay(), last().message(), reason, last().checkStatus());
    }

    List<Step> steps() {
        return steps;
    }

    private Step last() {
        if (steps.isEmpty()) {
            throw new IllegalStateException("the lifecycle has no step yet");
        }
        return steps.get(steps.size() - 1);
    }

    private Lifecycle append(Step step) {
        List<Step> next = new ArrayList<>(steps);
        next.add(step);
        return new Lifecycle(next);
    }

    private Lifecycle replaceLast(TaskState state, Duration delay, String message, TaskStatus.Reason reason,
            CheckStatusInfo check) {
        List<Step> next = new ArrayList<>(steps);
        next.set(next.size() - 1, new Step(state, delay, message, reason, check, last().files()));
        return new Lifecycle(next);
    }

    @Override
    public String toString() {
        return steps.stream().map(s -> s.state().name()).toList().toString();
    }
}
