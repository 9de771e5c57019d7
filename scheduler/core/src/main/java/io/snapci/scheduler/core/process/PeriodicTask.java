package io.snapci.scheduler.core.process;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A pass that runs now and then every interval on a thread of its own, until closed: what the scheduler's
 * background jobs (garbage collection, snapshot schedules, base copies, run retention) share. A pass that throws is
 * reported and the next one runs as planned (a periodic job never dies of one bad pass), and the interval counts
 * from a pass's end, so a slow pass is never overtaken by the next.
 */
public final class PeriodicTask implements AutoCloseable {

    private final ScheduledExecutorService timer;

    private PeriodicTask(String threadName) {
        this.timer = Executors.newSingleThreadScheduledExecutor(Threads.daemon(threadName));
    }

    /**
     * @param threadName what a thread dump calls the job
     * @param failed     hears a pass that threw
     */
    public static PeriodicTask start(String threadName, Duration interval, Runnable pass,
                                     Consumer<RuntimeException> failed) {
        PeriodicTask task = new PeriodicTask(threadName);
        task.timer.scheduleWithFixedDelay(() -> {
            try {
                pass.run();
            } catch (RuntimeException e) {
                failed.accept(e);
            }
        }, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        return task;
    }

    /** Stops the job: a pass under way is interrupted, none follows. */
    @Override
    public void close() {
        timer.shutdownNow();
    }
}
