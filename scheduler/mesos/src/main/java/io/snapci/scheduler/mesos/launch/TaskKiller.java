package io.snapci.scheduler.mesos.launch;

import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.scheduler.Protos.Call;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * KILLs tasks and keeps at it (as dcos-commons' TaskKiller): a KILL is only a request, and an agent that was
 * partitioned or restarting drops it, so a task not reported terminal within {@code retryInterval} of its KILL is
 * sent another, for as long as a live run still owns it.
 */
final class TaskKiller {

    private final FrameworkCalls calls;
    private final Clock clock;
    private final Duration retryInterval;
    /** When a KILL was last sent for a task that has not ended yet. */
    private final Map<String, Instant> sent = new LinkedHashMap<>();

    TaskKiller(FrameworkCalls calls, Clock clock, Duration retryInterval) {
        this.calls = calls;
        this.clock = clock;
        this.retryInterval = retryInterval;
    }

    void kill(TaskID task, AgentID agent) {
        sent.put(task.getValue(), clock.instant());
        Call.Kill.Builder kill = Call.Kill.newBuilder().setTaskId(task);
        if (agent != null && !agent.getValue().isEmpty()) {
            kill.setAgentId(agent);
        }
        calls.send(Call.newBuilder().setType(Call.Type.KILL).setKill(kill));
    }

    /** The task was reported terminal: no more KILLs for it. */
    void ended(String taskId) {
        sent.remove(taskId);
    }

    /**
     * Repeats the KILLs that were not obeyed in time. {@code agentOf} answers the agent of a task a live run still
     * owns, or empty when no run does (then it is forgotten).
     */
    void tick(Function<String, Optional<AgentID>> agentOf) {
        Instant now = clock.instant();
        for (Map.Entry<String, Instant> kill : List.copyOf(sent.entrySet())) {
            if (!now.isBefore(kill.getValue().plus(retryInterval))) {
                agentOf.apply(kill.getKey()).ifPresentOrElse(
                        agent -> kill(TaskID.newBuilder().setValue(kill.getKey()).build(), agent),
                        () -> sent.remove(kill.getKey()));
            }
        }
    }
}
