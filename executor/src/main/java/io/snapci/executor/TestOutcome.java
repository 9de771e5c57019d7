package io.snapci.executor;

import io.snapci.model.Phase;
import io.snapci.model.TestCounts;

/**
 * Decides how a test command's end maps onto a run's end. FAILED is only for the tests' own failures; a command
 * the shell could not find or run is an ERROR, because no test ran.
 */
public final class TestOutcome {

    /** bash's exit codes for "command found but not executable" and "command not found". */
    static final int NOT_EXECUTABLE = 126;
    static final int NOT_FOUND = 127;
    /** The exit code reported for a test command killed on timeout, as coreutils' timeout does. */
    public static final int TIMED_OUT = 124;

    private TestOutcome() {
    }

    public record Decision(Phase phase, int exitCode, String message) {
    }

    public static Decision decide(String command, int exitCode, boolean timedOut, TestCounts counts,
                                  boolean cassandraDied) {
        String died = cassandraDied ? " Cassandra exited during the tests: see its log." : "";
        if (timedOut) {
            return new Decision(Phase.FAILED, TIMED_OUT, "The test command ran past its timeout and was killed ("
                    + counts.summary() + " in the reports so far)." + died);
        }
        if (exitCode == NOT_FOUND || exitCode == NOT_EXECUTABLE) {
            return new Decision(Phase.ERROR, exitCode, "The test command '" + command + "' could not be run (exit "
                    + exitCode + ": " + (exitCode == NOT_FOUND ? "command not found" : "not executable")
                    + "). Check --test-cmd and that the tool is installed and on the PATH.");
        }
        if (exitCode == 0 && !counts.anyFailed()) {
            String read = counts.tests() == 0 ? "exit 0; no JUnit report read" : counts.summary();
            return new Decision(Phase.PASSED, 0, "Tests passed (" + read + ")." + died);
        }
        String firstFailure = counts.failed().isEmpty() ? "" : " First failure: "
                + counts.failed().get(0).displayName() + ": " + counts.failed().get(0).message();
        if (exitCode == 0) {
            return new Decision(Phase.FAILED, 1, "The test command exited 0 but its JUnit reports show "
                    + counts.summary() + "." + firstFailure + died);
        }
        return new Decision(Phase.FAILED, exitCode, "Tests failed (exit " + exitCode + "): " + counts.summary()
                + "." + firstFailure + died);
    }
}
