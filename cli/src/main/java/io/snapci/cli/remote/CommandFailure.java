package io.snapci.cli.remote;

/**
 * Why a command cannot go on, as the user should read it: what is wrong, a hint about what to do, and the exit code
 * the command ends with. Every command reports one the same way ({@link #describe()} on stderr).
 */
public abstract class CommandFailure extends RuntimeException {

    private final String hint;

    protected CommandFailure(String message, String hint) {
        super(message, null, false, false);
        this.hint = hint;
    }

    public abstract int exitCode();

    /** What went wrong and, on its own line, the hint. */
    public final String describe() {
        return detail() + (hint == null ? "" : System.lineSeparator() + "hint: " + hint);
    }

    /** The message with what else the user should know about it. */
    protected String detail() {
        return getMessage();
    }
}
