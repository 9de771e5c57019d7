package io.snapci.server.audit;

import io.snapci.scheduler.core.audit.AuditLog;
import io.snapci.scheduler.core.process.PeriodicTask;

import java.time.Clock;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * Deletes audit entries older than {@code audit.retention}, on its own thread ({@value #THREAD}) from serve's start
 * to its shutdown, every {@code runs.retention.interval}. In a cluster a standby may prune too: deleting an entry
 * twice is harmless (the ZooKeeper log ignores one already gone).
 */
public final class AuditRetention implements AutoCloseable {

    static final String THREAD = "snapci-audit-retention";

    private final AuditLog log;
    private final Duration maxAge;
    private final Clock clock;
    private final Consumer<String> out;
    private PeriodicTask task;

    public AuditRetention(AuditLog log, Duration maxAge, Clock clock, Consumer<String> out) {
        this.log = log;
        this.maxAge = maxAge;
        this.clock = clock;
        this.out = out;
    }

    /** One pass: returns how many entries it deleted. */
    public int prune() {
        int removed = log.pruneBefore(clock.instant().minus(maxAge));
        if (removed > 0) {
            out.accept("audit retention deleted " + removed + " entries older than " + maxAge);
        }
        return removed;
    }

    public synchronized void start(Duration interval) {
        if (task == null) {
            task = PeriodicTask.start(THREAD, interval, this::prune,
                    e -> out.accept("audit retention failed (next pass in " + interval + "): " + e.getMessage()));
        }
    }

    @Override
    public synchronized void close() {
        if (task != null) {
            task.close();
            task = null;
        }
    }
}
