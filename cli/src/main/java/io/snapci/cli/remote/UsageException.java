package io.snapci.cli.remote;

/** The command cannot go on as given (exit 2): the message says what is wrong, the hint what to do. */
public final class UsageException extends RuntimeException {

    private final String hint;

    public UsageException(String message, String hint) {
        super(message, null, false, false);
        this.hint = hint;
    }

    public String describe() {
        return getMessage() + (hint == null ? "" : System.lineSeparator() + "hint: " + hint);
    }
}
