package io.snapci.scheduler.core.process;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Threads the scheduler starts: named after their job (so a thread dump says who is stuck), and daemons (a pool
 * never keeps a stopping process alive; each pool is shut down by the component that owns it, at its close).
 */
public final class Threads {

    private Threads() {
    }

    /** {@code name} for a pool of one, {@code name-1}, {@code name-2}, ... once there are more. */
    public static ThreadFactory daemon(String name) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            int n = count.incrementAndGet();
            Thread thread = new Thread(runnable, n == 1 ? name : name + "-" + n);
            thread.setDaemon(true);
            return thread;
        };
    }
}
