package io.snapci.cli.remote;

import java.time.Duration;

/** What a followed run reports, event by event (docs/api.md, "GET /v1/runs/{id}/events"). */
public interface RunEventListener {

    /** A phase the run entered, once each, in order; {@code message} may be null. */
    void phase(String phase, String message);

    /** snapci's own progress notes ("Cassandra ready after 6.2 s"). */
    void progress(String note);

    /** The JUnit counts, when known: "2 passed, 0 failed". */
    void tests(String summary);

    /** A line of the test command's output. */
    void log(boolean stderr, String line);

    /** The event stream broke; it is opened again after {@code retryIn}, resuming where it broke. */
    void streamLost(String why, Duration retryIn);
}
