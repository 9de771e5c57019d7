package io.snapci.scheduler.core.storage;

import io.snapci.model.Source;

import java.util.List;

/**
 * Makes and destroys the writable copies runs test against. Implementations never write to, mount writable or
 * delete a source: they read it, and they delete only what they themselves created (and can prove so).
 */
public interface SnapshotDriver {

    /**
     * Makes a writable copy of {@code source} for the run. A {@code null} source makes an empty one (a run on the
     * tests' own fixtures). On failure nothing of the copy is left behind.
     */
    Clone createClone(String runId, Source source) throws StorageException;

    /**
     * {@link #createClone(String, Source)}, once {@code gate} admits the source's nodes. A driver that resolves a
     * source into other names (a selector into volumes) overrides this to ask the gate with the resolved names,
     * before it snapshots anything.
     */
    default Clone createClone(String runId, Source source, SourceGate gate) throws StorageException {
        if (source != null) {
            gate.admit(source.namedNodes());
        }
        return createClone(runId, source);
    }

    /** Deletes a copy this driver made. Deleting one that is already gone succeeds. */
    void deleteClone(Clone clone) throws StorageException;

    /**
     * Frees a run's copy from the machine its last attempt used, before the next attempt mounts it on another one.
     * A Portworx clone stays attached to the node of an agent that died or was partitioned away, and cannot be
     * mounted elsewhere until it is detached; a copy that is not bound to a machine needs nothing. Like every change,
     * only for a copy this driver made.
     */
    void releaseForAnotherNode(Clone clone) throws StorageException;

    /** The copies this driver made that still exist, for cleaning up after a crash. */
    List<Clone> listClones() throws StorageException;
}
