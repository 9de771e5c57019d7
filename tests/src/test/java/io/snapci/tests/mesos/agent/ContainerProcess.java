package io.snapci.tests.mesos.agent;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A container's main process: the task's command, started in a session of its own. Signals go to the main process
 * only, as the containerizer's {@code kill} does ({@code os::kill(container->pid, signal)},
 * {@code src/slave/containerizer/mesos/containerizer.cpp:3108-3141}); when the main process is gone the container is
 * destroyed and whatever it left behind is killed ({@code reaped} → {@code destroy}, containerizer.cpp:3246-3257; the
 * launcher kills every process of the container's cgroup). See {@link WaitStatus} for how signals are told from exit
 * codes.
 */
final class ContainerProcess {

    private final Process process;
    private final Set<Integer> signalsSent = ConcurrentHashMap.newKeySet();
    private final CompletableFuture<WaitStatus> exit;

    ContainerProcess(Process process) {
        this.process = process;
        this.exit = process.onExit().thenApply(p -> status(p.exitValue()));
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process.isAlive();
    }

    CompletableFuture<WaitStatus> exit() {
        return exit;
    }

    /** Sends SIGTERM or SIGKILL to the main process. */
    void signal(int signal) {
        if (!process.isAlive()) {
            return;
        }
        signalsSent.add(signal);
        if (signal == WaitStatus.SIGKILL) {
            process.destroyForcibly();
        } else if (signal == WaitStatus.SIGTERM) {
            process.destroy();
        } else {
            throw new IllegalArgumentException("the peer sends SIGTERM and SIGKILL only, not " + signal);
        }
    }

    /**
     * Kills (SIGKILL) every process the container still has — its session and its main process's descendants — and
     * waits until none is left (at most five seconds).
     */
    void killRemaining() {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (true) {
            var left = ProcTable.scan().container(process.pid());
            if (left.isEmpty()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("processes of container with main pid " + process.pid()
                        + " survive SIGKILL: " + left);
            }
            for (ProcTable.Proc p : left) {
                if (p.pid() == process.pid()) {
                    signal(WaitStatus.SIGKILL);
                } else {
                    ProcessHandle.of(p.pid()).ifPresent(ProcessHandle::destroyForcibly);
                }
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private WaitStatus status(int exitValue) {
        if (exitValue > 128 && signalsSent.contains(exitValue - 128)) {
            return WaitStatus.signaled(exitValue - 128);
        }
        return WaitStatus.exitedWith(exitValue);
    }
}
