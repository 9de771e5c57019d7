package io.snapci.scheduler.zookeeper;

import java.time.Duration;

/**
 * How the scheduler talks to ZooKeeper.
 *
 * @param sessionTimeout    how long the ensemble keeps the scheduler's session while it cannot be reached; the
 *                          servers clamp it to 2–20 ticks (4–40 s with the default 2 s tick)
 * @param connectionTimeout how long one attempt to (re)connect may take before it counts as a failed try
 * @param startupWait       how long {@link ZkConnection#open} waits for the first connection before giving up
 * @param retryBaseSleep    the first pause of the exponential backoff between retries of an operation
 * @param retryMaxSleep     the longest pause between two retries
 * @param maxRetries        how often an operation is retried after a connection loss before it fails
 */
public record ZkSettings(Duration sessionTimeout, Duration connectionTimeout, Duration startupWait,
                         Duration retryBaseSleep, Duration retryMaxSleep, int maxRetries) {

    /**
     * Rides out a ZooKeeper leader election or a master restart (typically a few seconds, rarely more than ~30 s)
     * without failing a save: 10 retries backing off from 0.5 s to at most 8 s. Each attempt waits up to 5 s for a
     * connection, so while ZooKeeper stays unreachable an operation blocks for about 2 minutes, then fails.
     */
    public static ZkSettings defaults() {
        return new ZkSettings(Duration.ofSeconds(30), Duration.ofSeconds(5), Duration.ofSeconds(30),
                Duration.ofMillis(500), Duration.ofSeconds(8), 10);
    }

    public ZkSettings {
        positive(sessionTimeout, "sessionTimeout");
        positive(connectionTimeout, "connectionTimeout");
        positive(startupWait, "startupWait");
        positive(retryBaseSleep, "retryBaseSleep");
        positive(retryMaxSleep, "retryMaxSleep");
        if (retryMaxSleep.compareTo(retryBaseSleep) < 0) {
            throw new IllegalArgumentException("zk retryMaxSleep (" + retryMaxSleep + ") is shorter than retryBaseSleep ("
                    + retryBaseSleep + ")");
        }
        // Curator's ExponentialBackoffRetry caps retries at 29 (the backoff's shift would overflow past it).
        if (maxRetries < 0 || maxRetries > 29) {
            throw new IllegalArgumentException("zk maxRetries must be between 0 and 29, got " + maxRetries);
        }
    }

    public ZkSettings withStartupWait(Duration wait) {
        return new ZkSettings(sessionTimeout, connectionTimeout, wait, retryBaseSleep, retryMaxSleep, maxRetries);
    }

    public ZkSettings withSessionTimeout(Duration session) {
        return new ZkSettings(session, connectionTimeout, startupWait, retryBaseSleep, retryMaxSleep, maxRetries);
    }

    public ZkSettings withTimeouts(Duration session, Duration connection) {
        return new ZkSettings(session, connection, startupWait, retryBaseSleep, retryMaxSleep, maxRetries);
    }

    public ZkSettings withRetries(Duration baseSleep, Duration maxSleep, int retries) {
        return new ZkSettings(sessionTimeout, connectionTimeout, startupWait, baseSleep, maxSleep, retries);
    }

    private static void positive(Duration value, String name) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("zk " + name + " must be positive, got " + value);
        }
    }
}
