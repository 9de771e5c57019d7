package io.snapci.model;

import io.snapci.model.Phase;
import io.snapci.model.TestCounts;

import java.nio.file.Path;

/**
 * How an execution ended.
 *
 * @param outcome              PASSED, FAILED (the tests failed), ERROR (infrastructure) or CANCELLED
 * @param message              for people: what happened and, for ERROR, what to do
 * @param testExitCode         the test command's exit code, if it ran
 * @param tests                what the JUnit reports said
 * @param cassandraReadyMillis launch-to-first-query time, if Cassandra became ready
 * @param testStdout           the test command's stdout log, if it ran
 * @param testStderr           the test command's stderr log, if it ran
 * @param cassandraLog         Cassandra's system.log, if it was started
 */
public record ExecutionResult(Phase outcome, String message, Integer testExitCode, TestCounts tests,
                              Long cassandraReadyMillis, Path testStdout, Path testStderr, Path cassandraLog) {

    public static ExecutionResult error(String message) {
        return new ExecutionResult(Phase.ERROR, message, null, null, null, null, null, null);
    }

    public static ExecutionResult cancelled(String message) {
        return new ExecutionResult(Phase.CANCELLED, message, null, null, null, null, null, null);
    }
}
