package io.snapci.cli.remote;

import io.snapci.cli.ExitCodes;
import io.snapci.model.ApiError;

/**
 * A call to the service that did not work, as the user should read it: the server's own answer (its JSON error
 * body) or what went wrong on the way, and a hint about what to do. Unreachable servers and 5xx answers are
 * infrastructure (exit 3); a 4xx means the request itself was wrong (exit 2).
 */
public final class ApiFailure extends CommandFailure {

    /** Status 0: no HTTP answer at all (connection refused, unknown host, TLS failure, timeout). */
    public static final int NO_ANSWER = 0;

    private final ApiError answer;

    public ApiFailure(ApiError answer, String hint) {
        super(answer.message(), hint);
        this.answer = answer;
    }

    /** No HTTP answer: {@code message} says what happened on the way. */
    public static ApiFailure noAnswer(String message, String hint) {
        return new ApiFailure(new ApiError(NO_ANSWER, null, null, message), hint);
    }

    public int status() {
        return answer.status();
    }

    @Override
    public int exitCode() {
        return status() == NO_ANSWER || status() >= 500 ? ExitCodes.INFRASTRUCTURE : ExitCodes.USAGE;
    }

    /** "the message (HTTP 400, field cassandra.heap)". */
    @Override
    protected String detail() {
        if (status() == NO_ANSWER) {
            return getMessage();
        }
        return getMessage() + " (HTTP " + status() + (answer.field() == null ? "" : ", field " + answer.field()) + ")";
    }
}
