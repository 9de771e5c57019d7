package io.snapci.scheduler.mesos.transport;

import java.io.IOException;
import java.util.Optional;

/**
 * Supplies the {@code Authorization} header for every request to the Mesos master (SUBSCRIBE and calls alike).
 *
 * <p>Implementations may cache credentials that expire (a DC/OS authentication token); the client calls
 * {@link #invalidate()} when the master answers 401 and then retries once, so a revoked or expired token is replaced
 * without waiting for its scheduled refresh. Implementations must be thread-safe: the subscription thread and any
 * thread calling {@link MesosSchedulerClient#send} ask concurrently.
 */
public interface Authenticator {

    /** The full header value (e.g. {@code Basic ...} or {@code token=...}), or empty to send no header. */
    Optional<String> authorizationHeader() throws IOException;

    /** Forget any cached credential so the next {@link #authorizationHeader()} obtains a fresh one. */
    void invalidate();

    static Authenticator none() {
        return NoAuth.INSTANCE;
    }
}
