package io.snapci.cli.remote;

import io.snapci.cli.ExitCodes;

/**
 * A call to the service that did not work, as the user should read it: the server's own message (from its JSON
 * problem body) or what went wrong on the way, and a hint about what to do. Unreachable servers and 5xx answers are
 * infrastructure (exit 3); a 4xx means the request itself was wrong (exit 2).
 */
public final class ApiFailure extends RuntimeException {

    /** Status 0: no HTTP answer at all (connection refused, unknown host, TLS failure, timeout). */
    public static final int NO_ANSWER = 0;

    private final int status;
    private final String error;
    private final String field;
    private final String hint;

    public ApiFailure(int status, String error, String field, String message, String hint) {
        super(message, null, false, false);
        this.status = status;
        this.error = error;
        this.field = field;
        this.hint = hint;
    }

    public int status() {
        return status;
    }

    /** The server's error code ({@code invalid_request}, {@code conflict}, ...), or null. */
    public String error() {
        return error;
    }

    public String field() {
        return field;
    }

    public String hint() {
        return hint;
    }

    public int exitCode() {
        return status == NO_ANSWER || status >= 500 ? ExitCodes.INFRASTRUCTURE : ExitCodes.USAGE;
    }

    /** "the message (HTTP 400, field cassandra.heap)" and, on its own line, the hint. */
    public String describe() {
        StringBuilder text = new StringBuilder(getMessage());
        if (status != NO_ANSWER) {
            text.append(" (HTTP ").append(status).append(field == null ? "" : ", field " + field).append(')');
        }
        if (hint != null) {
            text.append(System.lineSeparator()).append("hint: ").append(hint);
        }
        return text.toString();
    }
}
