package io.snapci.scheduler.core.testkit;

import io.snapci.scheduler.core.state.FrameworkIdStore;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/** A FrameworkID kept only as long as this process lives: for tests and benchmarks, never for a real scheduler. */
public final class InMemoryFrameworkIdStore implements FrameworkIdStore {

    private final AtomicReference<String> id = new AtomicReference<>();

    @Override
    public Optional<String> load() {
        return Optional.ofNullable(id.get());
    }

    @Override
    public void save(String frameworkId) {
        if (frameworkId == null || frameworkId.isBlank()) {
            throw new IllegalArgumentException("a FrameworkID cannot be blank");
        }
        id.set(frameworkId);
    }

    @Override
    public void clear() {
        id.set(null);
    }
}
