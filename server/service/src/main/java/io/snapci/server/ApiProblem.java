package io.snapci.server;

import io.snapci.model.ApiError;

/**
 * Why a request cannot be served, as the client will read it: an HTTP status, a stable error code, the field at
 * fault (when there is one) and a sentence that says what to do. Thrown anywhere below the resources; the API turns
 * it into a JSON body. Nothing has been created when one is thrown.
 */
public final class ApiProblem extends RuntimeException {

    private final ApiError body;

    public ApiProblem(int status, String error, String field, String message) {
        super(message, null, false, false);
        this.body = new ApiError(status, error, field, message);
    }

    public static ApiProblem invalid(String field, String message) {
        return new ApiProblem(400, "invalid_request", field, message);
    }

    public static ApiProblem notFound(String message) {
        return new ApiProblem(404, "not_found", null, message);
    }

    public static ApiProblem conflict(String field, String message) {
        return new ApiProblem(409, "conflict", field, message);
    }

    public static ApiProblem tooLarge(String message) {
        return new ApiProblem(413, "too_large", "body", message);
    }

    public static ApiProblem busy(String message) {
        return new ApiProblem(429, "queue_full", null, message);
    }

    public static ApiProblem unavailable(String message) {
        return new ApiProblem(503, "unavailable", null, message);
    }

    /** {@code {"status": 400, "error": "invalid_request", "field": "cassandra.heap", "message": "..."}}. */
    public ApiError body() {
        return body;
    }
}
