package io.snapci.server.runs;

import io.snapci.model.Source;
import io.snapci.scheduler.core.storage.Clone;
import io.snapci.scheduler.core.storage.SnapshotDriver;
import io.snapci.scheduler.core.storage.SourceGate;
import io.snapci.scheduler.core.storage.StorageException;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Sits between the run service and its snapshot driver to remember when the data of each live run's copy was taken
 * (a run record only keeps a description). The metrics read it when a run's tests start: how stale production data
 * was when it was tested.
 */
public final class CloneTimes implements SnapshotDriver {

    private final SnapshotDriver driver;
    private final Map<String, Instant> dataTakenAt = new ConcurrentHashMap<>();

    public CloneTimes(SnapshotDriver driver) {
        this.driver = driver;
    }

    @Override
    public Clone createClone(String runId, Source source) throws StorageException {
        return createClone(runId, source, SourceGate.OPEN);
    }

    @Override
    public Clone createClone(String runId, Source source, SourceGate gate) throws StorageException {
        Clone clone = driver.createClone(runId, source, gate);
        if (source != null && clone.dataTakenAt() != null) {
            dataTakenAt.put(runId, clone.dataTakenAt());
        }
        return clone;
    }

    @Override
    public void deleteClone(Clone clone) throws StorageException {
        driver.deleteClone(clone);
        dataTakenAt.remove(clone.runId());
    }

    @Override
    public void releaseForAnotherNode(Clone clone) throws StorageException {
        driver.releaseForAnotherNode(clone);
    }

    @Override
    public List<Clone> listClones() throws StorageException {
        return driver.listClones();
    }

    /** When the data of the run's copy was taken; empty for a run on an empty Cassandra or without a copy yet. */
    public Optional<Instant> dataTakenAt(String runId) {
        return Optional.ofNullable(dataTakenAt.get(runId));
    }
}
