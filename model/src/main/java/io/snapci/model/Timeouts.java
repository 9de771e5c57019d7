package io.snapci.model;

import java.time.Duration;

/**
 * How long each part of a run may take before it is given up.
 *
 * @param cassandraReady from launching Cassandra to its first answered CQL query
 * @param tests          how long the test command may run
 * @param run            the hard deadline for the whole run, queue time excluded
 */
public record Timeouts(Duration cassandraReady, Duration tests, Duration run) {

    public static final Duration DEFAULT_CASSANDRA_READY = Duration.ofMinutes(3);
    public static final Duration DEFAULT_TESTS = Duration.ofMinutes(60);
    public static final Duration DEFAULT_RUN = Duration.ofMinutes(90);

    public static Timeouts defaults() {
        return new Timeouts(null, null, null);
    }

    public Timeouts {
        cassandraReady = positiveOr(cassandraReady, DEFAULT_CASSANDRA_READY, "timeouts.cassandraReady");
        tests = positiveOr(tests, DEFAULT_TESTS, "timeouts.tests");
        run = positiveOr(run, DEFAULT_RUN, "timeouts.run");
    }

    private static Duration positiveOr(Duration value, Duration fallback, String name) {
        if (value == null) {
            return fallback;
        }
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
        return value;
    }
}
