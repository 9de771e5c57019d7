package io.snapci.scheduler.mesos.transport;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Exponential backoff between resubscription attempts, as apache/mesos {@code docs/scheduler-http-api.md}
 * ("Network partitions") recommends so that a fleet of schedulers does not hammer a recovering master. The ceiling
 * doubles from {@code min} up to {@code max}; with full jitter the delay is uniform in [0, ceiling), which spreads
 * reconnecting schedulers best. {@link #reset()} after a successful SUBSCRIBED. Not thread-safe: used by the
 * subscription thread only.
 */
final class Backoff {

    private final Duration min;
    private final Duration max;
    private final boolean jitter;
    private final DoubleSupplier random;
    private int attempt;

    Backoff(Duration min, Duration max, boolean jitter, DoubleSupplier random) {
        this.min = min;
        this.max = max;
        this.jitter = jitter;
        this.random = random;
    }

    Duration next() {
        long ceiling = ceilingMillis(attempt);
        if (ceiling < max.toMillis()) {
            attempt++; // stop counting once capped, so the shift below can never overflow
        }
        return Duration.ofMillis(jitter ? (long) (random.getAsDouble() * ceiling) : ceiling);
    }

    void reset() {
        attempt = 0;
    }

    private long ceilingMillis(int n) {
        long base = min.toMillis();
        long maxMillis = max.toMillis();
        if (n >= 62 || base > (maxMillis >> Math.min(n, 62))) {
            return maxMillis;
        }
        return Math.min(maxMillis, base << n);
    }
}
