package io.snapci.scheduler.core.state;

import java.util.Optional;

/**
 * Where the Mesos FrameworkID is kept. It is saved as soon as the master first assigns it, before anything else
 * uses it, so that a restarted scheduler resubscribes as the same framework and keeps its tasks.
 */
public interface FrameworkIdStore {

    Optional<String> load();

    void save(String frameworkId);

    /** Forgets the id: after the master tore the framework down, the next subscription starts a new one. */
    void clear();
}
