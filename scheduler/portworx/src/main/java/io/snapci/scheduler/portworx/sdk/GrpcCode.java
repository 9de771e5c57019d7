package io.snapci.scheduler.portworx.sdk;

/**
 * The gRPC status codes the SDK answers with (google/rpc/code.proto), and the HTTP status grpc-gateway gives each
 * ({@code runtime/errors.go HTTPStatusFromCode}).
 */
public enum GrpcCode {
    OK(0, 200),
    CANCELLED(1, 408),
    UNKNOWN(2, 500),
    INVALID_ARGUMENT(3, 400),
    DEADLINE_EXCEEDED(4, 504),
    NOT_FOUND(5, 404),
    ALREADY_EXISTS(6, 409),
    PERMISSION_DENIED(7, 403),
    RESOURCE_EXHAUSTED(8, 429),
    FAILED_PRECONDITION(9, 400),
    ABORTED(10, 409),
    OUT_OF_RANGE(11, 400),
    UNIMPLEMENTED(12, 501),
    INTERNAL(13, 500),
    UNAVAILABLE(14, 503),
    DATA_LOSS(15, 500),
    UNAUTHENTICATED(16, 401);

    private final int number;
    private final int httpStatus;

    GrpcCode(int number, int httpStatus) {
        this.number = number;
        this.httpStatus = httpStatus;
    }

    public int number() {
        return number;
    }

    public int httpStatus() {
        return httpStatus;
    }

    public static GrpcCode of(int number) {
        for (GrpcCode code : values()) {
            if (code.number == number) {
                return code;
            }
        }
        return UNKNOWN;
    }

    /**
     * The code to assume when a body carries none (a proxy's page, an empty 502): the inverse of the gateway's
     * mapping for the statuses it produces, otherwise by class.
     */
    public static GrpcCode fromHttpStatus(int status) {
        return switch (status) {
            case 400 -> INVALID_ARGUMENT;
            case 401 -> UNAUTHENTICATED;
            case 403 -> PERMISSION_DENIED;
            case 404 -> NOT_FOUND;
            case 408, 504 -> DEADLINE_EXCEEDED;
            case 405 -> UNIMPLEMENTED; // the gateway's "Method Not Allowed" (runtime/mux.go:274): not worth a retry
            case 409 -> ALREADY_EXISTS;
            case 429 -> RESOURCE_EXHAUSTED;
            case 501 -> UNIMPLEMENTED;
            case 502, 503 -> UNAVAILABLE;
            default -> status >= 500 ? INTERNAL : UNKNOWN;
        };
    }
}
