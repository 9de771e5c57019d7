package io.snapci.cli;

import io.snapci.scheduler.run.RunService;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Ctrl-C or SIGTERM while a run executes: cancel it and hold the JVM until the run has stopped its processes and
 * deleted its copy, so an interrupted CI job leaves nothing behind.
 */
final class CancelOnShutdown {

    private static final long MAX_WAIT_SECONDS = 120;

    private final CountDownLatch ended = new CountDownLatch(1);
    private final Thread hook;

    private CancelOnShutdown(RunService service, String runId, ProgressPrinter printer) {
        this.hook = new Thread(() -> {
            if (ended.getCount() == 0) {
                return;
            }
            printer.note("interrupted: cancelling run " + runId + " and cleaning up");
            service.cancel(runId);
            try {
                if (!ended.await(MAX_WAIT_SECONDS, TimeUnit.SECONDS)) {
                    printer.note("cleanup did not finish in " + MAX_WAIT_SECONDS + " s; exiting anyway");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "snapci-cancel-on-shutdown");
    }

    static CancelOnShutdown install(RunService service, String runId, ProgressPrinter printer) {
        CancelOnShutdown cancel = new CancelOnShutdown(service, runId, printer);
        Runtime.getRuntime().addShutdownHook(cancel.hook);
        return cancel;
    }

    void runEnded() {
        ended.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // Already shutting down: the hook is running and has just been released.
        }
    }
}
