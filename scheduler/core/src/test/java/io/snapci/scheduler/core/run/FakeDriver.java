package io.snapci.scheduler.core.run;

import io.snapci.model.Source;
import io.snapci.scheduler.core.storage.Clone;
import io.snapci.scheduler.core.storage.SnapshotDriver;
import io.snapci.scheduler.core.storage.StorageException;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A driver that keeps its copies in a map, and fails when told to. */
final class FakeDriver implements SnapshotDriver {

    /** When every copy's data was taken. */
    static final Instant DATA_TAKEN_AT = Instant.parse("2026-11-25T04:00:00Z");


    final Map<String, Clone> live = new ConcurrentHashMap<>();
    final List<String> deleted = new ArrayList<>();
    final List<String> released = new ArrayList<>();

    @Override
    public synchronized void releaseForAnotherNode(Clone clone) {
        released.add(clone.id());
    }
    StorageException failCreate;
    int failDeletes;
    Runnable duringCreate = () -> { };

    @Override
    public Clone createClone(String runId, Source source) throws StorageException {
        if (failCreate != null) {
            throw failCreate;
        }
        duringCreate.run();
        Clone clone = new Clone("clone-" + runId, runId, source == null ? null : source.describe(), "/clones/" + runId,
                null, DATA_TAKEN_AT, "copied");
        live.put(clone.id(), clone);
        return clone;
    }

    @Override
    public synchronized void deleteClone(Clone clone) throws StorageException {
        if (failDeletes > 0) {
            failDeletes--;
            throw new StorageException(StorageException.Kind.UNAVAILABLE, "storage busy");
        }
        live.remove(clone.id());
        deleted.add(clone.id());
    }

    @Override
    public List<Clone> listClones() {
        return List.copyOf(live.values());
    }
}
