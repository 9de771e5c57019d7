package io.snapci.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * What the REST API answers when it cannot serve a request (docs/api.md: "Every error is JSON"): the HTTP status, a
 * stable error code ({@code invalid_request}, {@code not_found}, ...), the field at fault when there is one, and a
 * sentence that says what to do. The service writes it; the CLI reads it and tells the user.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"status", "error", "field", "message"})
public record ApiError(int status, String error, String field, String message) {
}
