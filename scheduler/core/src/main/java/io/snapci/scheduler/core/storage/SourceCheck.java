package io.snapci.scheduler.core.storage;

import io.snapci.model.RunSpec;

/**
 * What is checked of a run's source before anything is copied: locally, that the Cassandra this machine boots can
 * run production's data (its version). A refusal is a {@link StorageException} whose message says why.
 */
@FunctionalInterface
public interface SourceCheck {

    /** Checks nothing. */
    SourceCheck NONE = spec -> null;

    /**
     * @return what the run's record and output say about the Cassandra the copy runs, or {@code null}
     */
    String check(RunSpec spec) throws StorageException;
}
