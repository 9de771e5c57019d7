package io.snapci.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Ctrl-C or SIGTERM (a CI runner cancelling the job) while a run goes on: ask for the run to be cancelled and hold
 * the JVM until it has ended — its tests and Cassandra stopped and its copy deleted, on this machine or by the
 * service — so an interrupted CI job leaves nothing behind. Used by local runs and service runs alike; what
 * "cancel" means is the caller's.
 */
public final class CancelOnShutdown {

    private static final long MAX_WAIT_SECONDS = 120;

    private final CountDownLatch ended = new CountDownLatch(1);
    private final Thread hook;

    private CancelOnShutdown(String runId, Consumer<String> note, BooleanSupplier cancel) {
        this.hook = new Thread(() -> {
            if (ended.getCount() == 0 || !cancel.getAsBoolean()) {
                return;
            }
            try {
                if (!ended.await(MAX_WAIT_SECONDS, TimeUnit.SECONDS)) {
                    note.accept("run " + runId + " did not end within " + MAX_WAIT_SECONDS + " s; exiting anyway "
                            + "(see snapci status " + runId + ")");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "snapci-cancel-on-shutdown");
    }

    /**
     * @param note   where to tell the user what happens
     * @param cancel asks for the run to stop (and says so through {@code note}); returns whether to wait for its end
     */
    public static CancelOnShutdown install(String runId, Consumer<String> note, BooleanSupplier cancel) {
        CancelOnShutdown hook = new CancelOnShutdown(runId, note, cancel);
        Runtime.getRuntime().addShutdownHook(hook.hook);
        return hook;
    }

    /** The run ended and its end was reported: the hook has nothing (more) to wait for. */
    public void runEnded() {
        ended.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // Already shutting down: the hook is running and has just been released.
        }
    }
}
