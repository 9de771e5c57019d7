package io.snapci.cli.remote;

import io.snapci.cli.display.RunDisplay;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Ctrl-C (or SIGTERM, a CI runner cancelling the job) while a service run goes on: ask the service to cancel it and
 * hold the JVM until the run has ended (the service kills the tests and Cassandra and deletes the copy first), so
 * a cancelled CI job leaves nothing running in the cluster. The JVM then exits 130 (128 + SIGINT).
 */
final class CancelRunOnShutdown {

    private static final long MAX_WAIT_SECONDS = 120;

    private final CountDownLatch ended = new CountDownLatch(1);
    private final Thread hook;

    private CancelRunOnShutdown(SnapciApi api, String runId, RunDisplay display) {
        this.hook = new Thread(() -> {
            if (ended.getCount() == 0) {
                return;
            }
            display.note("interrupted: cancelling run " + runId + " on the service");
            try {
                api.delete("v1/runs/" + runId);
            } catch (ApiFailure e) {
                if (e.status() != 409) {  // 409: it has just ended by itself
                    display.note("could not cancel run " + runId + ": " + e.describe());
                    return;
                }
            }
            try {
                if (!ended.await(MAX_WAIT_SECONDS, TimeUnit.SECONDS)) {
                    display.note("run " + runId + " did not end in " + MAX_WAIT_SECONDS + " s; see snapci status "
                            + runId);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "snapci-cancel-run");
    }

    static CancelRunOnShutdown install(SnapciApi api, String runId, RunDisplay display) {
        CancelRunOnShutdown cancel = new CancelRunOnShutdown(api, runId, display);
        Runtime.getRuntime().addShutdownHook(cancel.hook);
        return cancel;
    }

    /** The run ended and its end was reported: the hook has nothing (more) to wait for. */
    void runEnded() {
        ended.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // Already shutting down: the hook is running and has just been released.
        }
    }
}
