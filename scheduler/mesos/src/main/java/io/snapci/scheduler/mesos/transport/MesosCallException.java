package io.snapci.scheduler.mesos.transport;

/**
 * A call to the master was not accepted. {@link #status()} and {@link #body()} carry the master's answer (e.g. 400 with
 * "The stream ID ... included in this request didn't match the stream ID currently associated with framework ID ..."
 * after a resubscription raced the call). {@link #retryable()} says whether sending the same call again later can
 * succeed: true for 5xx, 429, a second 307, I/O failures and "not subscribed yet"; false for other 4xx (the call itself
 * is wrong, or the stream id is stale) and after the client stopped.
 */
public final class MesosCallException extends Exception {

    /** {@link #status()} when no HTTP answer was received. */
    public static final int NO_STATUS = -1;

    private final int status;
    private final String body;
    private final boolean retryable;

    public MesosCallException(String message, int status, String body, boolean retryable, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.body = body == null ? "" : body;
        this.retryable = retryable;
    }

    static MesosCallException fromStatus(String callType, int status, String body) {
        // 3xx here means the leader moved again during our one redirect: a later retry can reach the new leader.
        boolean retryable = status >= 500 || status == 429 || (status >= 300 && status < 400);
        String message = callType + " answered HTTP " + status + (body.isBlank() ? "" : ": " + body.strip());
        return new MesosCallException(message, status, body, retryable, null);
    }

    public int status() {
        return status;
    }

    public String body() {
        return body;
    }

    public boolean retryable() {
        return retryable;
    }
}
