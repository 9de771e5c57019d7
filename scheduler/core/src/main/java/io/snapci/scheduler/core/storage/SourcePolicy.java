package io.snapci.scheduler.core.storage;

import io.snapci.model.RunSpec;

/** What the operator requires of a run before its source is copied, as a gate the storage asks (SourceGate). */
@FunctionalInterface
public interface SourcePolicy {

    /** Requires nothing. */
    SourcePolicy OPEN = spec -> SourceGate.OPEN;

    /** The gate the copy of this run's source passes. */
    SourceGate gateFor(RunSpec spec);
}
