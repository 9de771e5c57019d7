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
    private final boolean status;

    /**
     * @param code            the gRPC code (from the body, or from the HTTP status when the body has none)
     * @param httpStatus      the HTTP status, or 0 when no response came
     * @param portworxMessage what the server said, or what went wrong on the wire
     * @param call            e.g. {@code POST /v1/volumes/snapshots}
     */
    public SdkException(GrpcCode code, int httpStatus, String portworxMessage, String call, Throwable cause) {
        this(code, httpStatus, portworxMessage, call, cause, false);
    }

    /**
     * @param status whether the server answered with a gRPC status body ({@code {"code":..}}): the SDK itself
     *               spoke, rather than the gateway's router (plain-text 404/405), a proxy or the network
     */
    public SdkException(GrpcCode code, int httpStatus, String portworxMessage, String call, Throwable cause,
                        boolean status) {
        super(call + " failed: " + portworxMessage + " (" + code + (httpStatus > 0 ? ", HTTP " + httpStatus : "")
                + ")", cause);
        this.code = code;
        this.httpStatus = httpStatus;
        this.portworxMessage = portworxMessage;
        this.call = call;
        this.status = status;
    }

    /**
     * Whether the SDK answered with a gRPC status. A NOT_FOUND without one is the gateway not knowing the path (a
     * Portworx older than the calls snapci makes), not a volume that is gone.
     */
    public boolean isStatus() {
        return status;
    }

    /**
     * The SDK wraps a driver's failure as Internal (create, snapshot) or Aborted (clone) with the driver's text
     * (volume_ops.go:178-190, 255-258; volume_snapshot.go:61): a full pool is recognised by that text.
     */
    public boolean saysNoSpace() {
        String text = portworxMessage == null ? "" : portworxMessage.toLowerCase(java.util.Locale.ROOT);
        return code == GrpcCode.RESOURCE_EXHAUSTED || text.contains("no space") || text.contains("not enough space")
                || text.contains("out of space") || text.contains("enospc") || text.contains("insufficient space");
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
        if (saysNoSpace()) {
            return false; // a full pool stays full for the next try
        }
        return switch (code) {
            case UNAVAILABLE, DEADLINE_EXCEEDED, INTERNAL, UNKNOWN, ABORTED, CANCELLED -> true;
            default -> false;
        };
    }
}
