package io.snapci.tests.mesos;

import com.google.protobuf.ByteString;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.apache.mesos.v1.Protos.TaskStatus;

/**
 * The agent's reliable delivery of a task's status updates (mesos 1.11.0
 * {@code src/status_update_manager/status_update_manager_process.hpp}, {@code src/slave/constants.hpp}): per task, one
 * update in flight; the next is sent only after the scheduler acknowledged the current one (by its uuid); an
 * unacknowledged update is resent after the retry interval, which doubles up to a maximum. An acknowledgement whose
 * uuid is not the one in flight is ignored ("Unexpected status update acknowledgement"), so acknowledging twice or
 * an unknown uuid is harmless. Runs on the master thread (its scheduler); the delivery callback hands the update to
 * the master, which forwards it if the framework is connected.
 */
final class StatusUpdateManager {

    /** A task's queue of updates; the head is in flight. */
    private static final class Stream {
        final String frameworkId;
        final String agentId;
        final Deque<TaskStatus> pending = new ArrayDeque<>();
        ScheduledFuture<?> retry;
        Duration interval;

        Stream(String frameworkId, String agentId) {
            this.frameworkId = frameworkId;
            this.agentId = agentId;
        }
    }

    private final ScheduledExecutorService clock;
    private final Duration firstRetry;
    private final Duration maxRetry;
    private final BiConsumer<String, TaskStatus> deliver;
    private final Map<String, Stream> streams = new LinkedHashMap<>();

    StatusUpdateManager(ScheduledExecutorService clock, Duration firstRetry, Duration maxRetry,
            BiConsumer<String, TaskStatus> deliver) {
        this.clock = clock;
        this.firstRetry = firstRetry;
        this.maxRetry = maxRetry;
        this.deliver = deliver;
    }

    /** A new update from the executor; sent now if nothing of this task is in flight, else queued behind it. */
    void update(String frameworkId, TaskStatus status) {
        String key = key(frameworkId, status.getTaskId().getValue());
        Stream stream = streams.computeIfAbsent(key,
                k -> new Stream(frameworkId, status.getAgentId().getValue()));
        stream.pending.addLast(status);
        if (stream.pending.size() == 1) {
            send(stream);
        }
    }

    /**
     * The scheduler acknowledged {@code uuid} for this task. Returns the acknowledged update when it was the one in
     * flight (the next one, if any, is sent at once); empty when the uuid is not in flight (ignored).
     */
    Optional<TaskStatus> acknowledge(String frameworkId, String taskId, ByteString uuid) {
        String key = key(frameworkId, taskId);
        Stream stream = streams.get(key);
        if (stream == null || stream.pending.isEmpty() || !stream.pending.peekFirst().getUuid().equals(uuid)) {
            return Optional.empty();
        }
        TaskStatus acked = stream.pending.removeFirst();
        cancelRetry(stream);
        if (stream.pending.isEmpty()) {
            streams.remove(key);
        } else {
            send(stream);
        }
        return Optional.of(acked);
    }

    /** Every update not yet acknowledged, in flight or queued, in task order. */
    List<TaskStatus> unacknowledged() {
        List<TaskStatus> all = new ArrayList<>();
        streams.values().forEach(s -> all.addAll(s.pending));
        return all;
    }

    /** Resends what is in flight right away (a framework just resubscribed, or a new leader learnt of the agent). */
    void resendInFlight(String frameworkId) {
        streams.values().stream().filter(s -> s.frameworkId.equals(frameworkId)).forEach(s -> {
            cancelRetry(s);
            s.interval = null;
            send(s);
        });
    }

    void dropFramework(String frameworkId) {
        drop(s -> s.frameworkId.equals(frameworkId));
    }

    void dropAgent(String agentId) {
        drop(s -> s.agentId.equals(agentId));
    }

    private void drop(java.util.function.Predicate<Stream> which) {
        streams.values().removeIf(s -> {
            if (which.test(s)) {
                cancelRetry(s);
                return true;
            }
            return false;
        });
    }

    private void send(Stream stream) {
        TaskStatus head = stream.pending.peekFirst();
        deliver.accept(stream.frameworkId, head);
        stream.interval = stream.interval == null ? firstRetry
                : min(stream.interval.multipliedBy(2), maxRetry);
        Duration wait = stream.interval;
        stream.retry = clock.schedule(() -> {
            if (stream.pending.peekFirst() == head) {
                send(stream);
            }
        }, wait.toNanos(), TimeUnit.NANOSECONDS);
    }

    private static void cancelRetry(Stream stream) {
        if (stream.retry != null) {
            stream.retry.cancel(false);
            stream.retry = null;
        }
        stream.interval = null;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static String key(String frameworkId, String taskId) {
        return frameworkId + "/" + taskId;
    }
}
