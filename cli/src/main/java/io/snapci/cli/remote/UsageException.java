package io.snapci.cli.remote;

import io.snapci.cli.ExitCodes;

/** The command cannot go on as given (exit 2): the message says what is wrong, the hint what to do. */
public final class UsageException extends CommandFailure {

    public UsageException(String message, String hint) {
        super(message, hint);
    }

    @Override
    public int exitCode() {
        return ExitCodes.USAGE;
    }
}
