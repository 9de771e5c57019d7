package io.snapci.scheduler.core.storage;

import java.util.List;

/**
 * Decides whether a run may copy its source once the source's nodes are known by name, before anything is read
 * from them. A selector's volumes are known only when the storage lists them, and a volume labelled after the run
 * was accepted is among them: the operator's masking requirements (a volume that requires a rule set) are checked
 * here, where the names are final, and not only on the selector's text when the run was accepted.
 */
@FunctionalInterface
public interface SourceGate {

    /** Admits every source. */
    SourceGate OPEN = nodes -> { };

    /**
     * @param nodes the directories or volumes the copy would be made of, in node order
     * @throws StorageException ({@link StorageException.Kind#REFUSED}) saying what the run lacks to copy them
     */
    void admit(List<String> nodes) throws StorageException;
}
