package io.snapci.server.auth;

/** A request that may not go on: 401 (who are you?) or 403 (you may not do this), with what to do about it. */
public final class AuthProblem extends RuntimeException {

    private final int status;

    private AuthProblem(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    public static AuthProblem unauthenticated(String message) {
        return new AuthProblem(401, message);
    }

    public static AuthProblem forbidden(String message) {
        return new AuthProblem(403, message);
    }

    public int status() {
        return status;
    }
}
