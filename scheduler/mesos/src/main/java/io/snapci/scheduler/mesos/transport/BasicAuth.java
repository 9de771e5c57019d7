package io.snapci.scheduler.mesos.transport;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;

/**
 * HTTP Basic authentication with a Mesos framework principal and secret: what a plain Mesos master expects when it
 * runs with {@code --authenticate_http_frameworks} and the default basic authenticator. The credential never expires,
 * so {@link #invalidate()} has nothing to do; a 401 after the retry is a configuration error the caller will see.
 */
public final class BasicAuth implements Authenticator {

    private final String header;

    public BasicAuth(String principal, String secret) {
        Objects.requireNonNull(principal, "principal");
        Objects.requireNonNull(secret, "secret");
        if (principal.contains(":")) {
            // RFC 7617: the user-id cannot contain a colon, the master would split it at the wrong place.
            throw new IllegalArgumentException("principal must not contain ':'");
        }
        String pair = principal + ":" + secret;
        this.header = "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public Optional<String> authorizationHeader() {
        return Optional.of(header);
    }

    @Override
    public void invalidate() {
        // Static credential: nothing to refresh.
    }

    @Override
    public String toString() {
        return "BasicAuth[secret hidden]";
    }
}
