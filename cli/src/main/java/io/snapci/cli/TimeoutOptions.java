package io.snapci.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.snapci.model.Timeouts;
import picocli.CommandLine.Option;

import java.time.Duration;

/** {@code snapci run}'s limits on each part of a run; what is not given is the defaults (here or the service's). */
final class TimeoutOptions {

    @Option(names = "--ready-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "How long Cassandra may take to answer CQL (default: 3m).")
    Duration readyTimeout;

    @Option(names = "--test-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "How long the tests may run (default: 60m).")
    Duration testTimeout;

    @Option(names = "--run-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Hard deadline for the whole run (default: 90m).")
    Duration runTimeout;

    /** For a run on this machine. */
    Timeouts timeouts() {
        return new Timeouts(readyTimeout, testTimeout, runTimeout);
    }

    /** For a run on the service: {@code timeouts} of the run spec (docs/api.md), when any was given. */
    void writeTo(ObjectNode request) {
        if (readyTimeout == null && testTimeout == null && runTimeout == null) {
            return;
        }
        ObjectNode timeouts = request.putObject("timeouts");
        putIfSet(timeouts, "cassandraReady", readyTimeout);
        putIfSet(timeouts, "tests", testTimeout);
        putIfSet(timeouts, "run", runTimeout);
    }

    private static void putIfSet(ObjectNode node, String field, Duration value) {
        if (value != null) {
            node.put(field, value.toString());
        }
    }
}
