package io.snapci.model;


/**
 * Hears what an execution does as it happens. Called from the execution's threads; implementations must be quick
 * and thread-safe. Every method has a no-op default so a listener implements only what it shows.
 */
public interface ExecutionListener {

    ExecutionListener NONE = new ExecutionListener() {
    };

    /** The execution entered STARTING_CASSANDRA, MASKING or TESTING. */
    default void onPhase(Phase phase, String note) {
    }

    /** A progress note for a person ("Cassandra ready after 6.1 s"). */
    default void onProgress(String note) {
    }

    /** Cassandra answered its first CQL query this long after it was launched. */
    default void onCassandraReady(long millis) {
    }

    /** One line the test command printed. */
    default void onTestOutput(String line, boolean stderr) {
    }
}
