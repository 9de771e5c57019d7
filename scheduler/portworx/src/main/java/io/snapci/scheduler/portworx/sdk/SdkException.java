package io.snapci.scheduler.portworx.sdk;

/**
 * A call the SDK answered with an error, or that got no answer. Carries the gRPC code and Portworx's own message,
 * so that the driver can decide and the person running the job can read what Portworx said.
 */
public final class SdkException extends Exception {

    private final GrpcCode code;
    private final int httpStatus;
    private final String portworxMessage;
    private final String call;

    /**
     * @param code            the gRPC code (from the body, or from the HTTP status when the body has none)
     * @param httpStatus      the HTTP status, or 0 when no response came
     * @param portworxMessage what the server said, or what went wrong on the wire
     * @param call            e.g. {@code POST /v1/volumes/snapshots}
     */
    public SdkException(GrpcCode code, int httpStatus, String portworxMessage, String call, Throwable cause) {
        super(call + " failed: " + portworxMessage + " (" + code + (httpStatus > 0 ? ", HTTP " + httpStatus : "")
                + ")", cause);
        this.code = code;
        this.httpStatus = httpStatus;
        this.portworxMessage = portworxMessage;
        this.call = call;
    }

    public GrpcCode code() {
        return code;
    }

    public int httpStatus() {
        return httpStatus;
    }

    public String portworxMessage() {
        return portworxMessage;
    }

    public String call() {
        return call;
    }

    /**
     * Whether trying again can help: the server is down or overloaded, the call timed out, or it failed inside
     * (5xx). Not for answers that will not change: not found, exists, denied, out of space, bad request.
     */
    public boolean isTransient() {
        return switch (code) {
            case UNAVAILABLE, DEADLINE_EXCEEDED, INTERNAL, UNKNOWN, ABORTED, CANCELLED -> true;
            default -> false;
        };
    }
}
