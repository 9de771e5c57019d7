package io.snapci.server;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Why a request cannot be served, as the client will read it: an HTTP status, a stable error code, the field at
 * fault (when there is one) and a sentence that says what to do. Thrown anywhere below the resources; the API turns
 * it into a JSON body. Nothing has been created when one is thrown.
 */
public final class ApiProblem extends RuntimeException {

    private final int status;
    private final String error;
    private final String field;

    public ApiProblem(int status, String error, String field, String message) {
        super(message, null, false, false);
        this.status = status;
        this.error = error;
        this.field = field;
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

    public int status() {
        return status;
    }

    public String error() {
        return error;
    }

    public String field() {
        return field;
    }

    /** {@code {"status": 400, "error": "invalid_request", "field": "cassandra.heap", "message": "..."}}. */
    public Map<String, Object> body() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", status);
        body.put("error", error);
        if (field != null) {
            body.put("field", field);
        }
        body.put("message", getMessage());
        return body;
    }
}
