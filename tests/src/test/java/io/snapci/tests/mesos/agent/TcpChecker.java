package io.snapci.tests.mesos.agent;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.mesos.v1.Protos.CheckInfo;
import org.apache.mesos.v1.Protos.CheckStatusInfo;

/**
 * A task's TCP check as the default executor runs it (mesos 1.11.0 {@code src/checks/checker_process.cpp},
 * {@code src/checks/checker.cpp}): the executor itself connects to {@code 127.0.0.1:<port>} — the task shares its
 * network namespace — first {@code delay_seconds} after the task is running, then {@code interval_seconds} after
 * each result (:272-274, :393-401, :427-459); a connection is {@code succeeded: true}, a refusal
 * {@code succeeded: false} (:1336-1357); a check that times out ({@code timeout_seconds}, 0 = never) is an error and
 * yields an empty TCP status (:1262-1280, checker.cpp:160-168). Only a result different from the previous one is
 * reported (checker.cpp:173; the first "previous" is the empty status, :121). Defaults from {@code mesos.proto}:
 * delay 15 s, interval 10 s, timeout 20 s. Paused for good when the task is being killed or has ended.
 */
final class TcpChecker {

    private final CheckInfo check;
    private final ScheduledExecutorService agentThread;
    private final Executor workers;
    private final Consumer<CheckStatusInfo> changed;
    private CheckStatusInfo previous;
    private ScheduledFuture<?> next;
    private volatile boolean paused;

    TcpChecker(CheckInfo check, ScheduledExecutorService agentThread, Executor workers,
            Consumer<CheckStatusInfo> changed) {
        if (check.getType() != CheckInfo.Type.TCP) {
            throw new IllegalArgumentException("only TCP checks are run by the peer, not " + check.getType());
        }
        this.check = check;
        this.agentThread = agentThread;
        this.workers = workers;
        this.changed = changed;
        this.previous = empty();
    }

    void start() {
        schedule(seconds(check.getDelaySeconds()));
    }

    void pause() {
        paused = true;
        if (next != null) {
            next.cancel(false);
        }
    }

    private void schedule(Duration after) {
        if (!paused) {
            next = agentThread.schedule(() -> workers.execute(this::perform), after.toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    /** On a worker: one connection attempt, its result handled on the agent thread. */
    private void perform() {
        if (paused) {
            return;
        }
        int port = check.getTcp().getPort();
        long timeoutMs = check.getTimeoutSeconds() > 0 ? (long) (check.getTimeoutSeconds() * 1000) : 0;
        CheckStatusInfo result;
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), (int) Math.min(Integer.MAX_VALUE, timeoutMs));
            result = tcp(true);
        } catch (SocketTimeoutException e) {
            result = empty();
        } catch (IOException e) {
            result = tcp(false);
        }
        CheckStatusInfo r = result;
        agentThread.execute(() -> handle(r));
    }

    private void handle(CheckStatusInfo result) {
        if (paused) {
            return;
        }
        if (!result.equals(previous)) {
            previous = result;
            changed.accept(result);
        }
        schedule(seconds(check.getIntervalSeconds()));
    }

    private static CheckStatusInfo tcp(boolean succeeded) {
        return CheckStatusInfo.newBuilder().setType(CheckInfo.Type.TCP)
                .setTcp(CheckStatusInfo.Tcp.newBuilder().setSucceeded(succeeded)).build();
    }

    private static CheckStatusInfo empty() {
        return CheckStatusInfo.newBuilder().setType(CheckInfo.Type.TCP).setTcp(CheckStatusInfo.Tcp.newBuilder())
                .build();
    }

    private static Duration seconds(double s) {
        return Duration.ofNanos((long) (s * 1e9));
    }
}
