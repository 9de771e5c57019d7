package io.snapci.scheduler.mesos.transport;

import java.util.Optional;

/** For masters without HTTP framework authentication (a plain development cluster): sends no header. */
public final class NoAuth implements Authenticator {

    public static final NoAuth INSTANCE = new NoAuth();

    private NoAuth() {
    }

    @Override
    public Optional<String> authorizationHeader() {
        return Optional.empty();
    }

    @Override
    public void invalidate() {
        // Nothing cached.
    }
}
