package io.snapci.scheduler.mesos.launch;

import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.scheduler.Protos.Call;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reconciliation as Mesos' reconciliation guide asks (and dcos-commons' reconciler does): after every SUBSCRIBED, an
 * explicit RECONCILE of the tasks we believe live, repeated with growing intervals until each has had an update
 * (the master may drop the request or answer only some tasks); and, now and then, an implicit RECONCILE, for which
 * the master reports every task it knows of ours (tasks we have forgotten are then killed by the launcher).
 */
final class Reconciler {

    private final FrameworkCalls calls;
    private final Clock clock;
    private final Duration minWait;
    private final Duration maxWait;
    /** Tasks asked about and not yet answered for. */
    private final Map<String, AgentID> unanswered = new LinkedHashMap<>();
    private Instant next = Instant.MAX;
    private Duration wait;

    Reconciler(FrameworkCalls calls, Clock clock, Duration minWait, Duration maxWait) {
        this.calls = calls;
        this.clock = clock;
        this.minWait = minWait;
        this.maxWait = maxWait;
        this.wait = minWait;
    }

    /** A new subscription: ask about {@code live} (task id → agent) from the shortest interval on. */
    void subscribed(Map<String, AgentID> live) {
        wait = minWait;
        ask(live);
    }

    /** Adds tasks to ask about (a run taken over while subscribed) and asks now. */
    void ask(Map<String, AgentID> tasks) {
        unanswered.putAll(tasks);
        send();
    }

    /** Any update for the task answers for it. */
    void answered(String taskId) {
        unanswered.remove(taskId);
    }

    /** Repeats an unanswered reconciliation when its interval has passed. */
    void tick() {
        if (!clock.instant().isBefore(next)) {
            send();
        }
    }

    void implicitly() {
        calls.send(Call.newBuilder().setType(Call.Type.RECONCILE).setReconcile(Call.Reconcile.newBuilder()));
    }

    private void send() {
        if (unanswered.isEmpty()) {
            next = Instant.MAX;
            return;
        }
        Call.Reconcile.Builder reconcile = Call.Reconcile.newBuilder();
        unanswered.forEach((taskId, agent) -> reconcile.addTasks(Call.Reconcile.Task.newBuilder()
                .setTaskId(TaskID.newBuilder().setValue(taskId)).setAgentId(agent)));
        calls.send(Call.newBuilder().setType(Call.Type.RECONCILE).setReconcile(reconcile));
        next = clock.instant().plus(wait);
        wait = wait.multipliedBy(2).compareTo(maxWait) > 0 ? maxWait : wait.multipliedBy(2);
    }
}
