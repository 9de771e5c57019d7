package io.snapci.cli;

import io.snapci.model.RunStatus;

/**
 * What {@code snapci run} exits with, so a CI job can tell broken code from broken infrastructure:
 * the tests' own exit code when they ran, {@link #INFRASTRUCTURE} when snapci could not run them.
 */
public final class ExitCodes {

    public static final int PASSED = 0;
    /** Used when the tests failed but reported exit code 0 or none. */
    public static final int TESTS_FAILED = 1;
    public static final int USAGE = 2;
    public static final int INFRASTRUCTURE = 3;
    public static final int CANCELLED = 130;

    private ExitCodes() {
    }

    public static int of(RunStatus run) {
        return switch (run.phase()) {
            case PASSED -> PASSED;
            case FAILED -> run.testExitCode() == null || run.testExitCode() == 0 ? TESTS_FAILED : run.testExitCode();
            case CANCELLED -> CANCELLED;
            default -> INFRASTRUCTURE;
        };
    }
}
