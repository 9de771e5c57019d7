package io.snapci.tests.cluster;

import io.snapci.model.Source;
import io.snapci.scheduler.core.storage.Clone;
import io.snapci.scheduler.core.storage.SnapshotDriver;
import io.snapci.scheduler.core.storage.StorageException;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Cluster-style copies for the Mesos scenarios: each run's copy is a named volume ({@code snapci-<run>}) that the
 * task group mounts through the {@code pxd} docker volume driver. The scenarios check what Mesos does with a run;
 * what a real storage system does with the volume is the Portworx driver's story, told against its own peer.
 * This keeps the volumes in memory, and remembers every name handed out and deleted so a scenario can prove that
 * no copy outlives its run and no source volume is ever handed to a task.
 */
public final class VolumeCloneDriver implements SnapshotDriver {

    private final Map<String, Clone> live = new ConcurrentHashMap<>();
    private final List<String> deleted = Collections.synchronizedList(new ArrayList<>());
    private final List<String> created = Collections.synchronizedList(new ArrayList<>());

    @Override
    public Clone createClone(String runId, Source source) throws StorageException {
        String name = "snapci-" + runId;
        Clone clone = new Clone(name, runId, source == null ? null : source.describe(), null, name, Instant.now(),
                "cloned " + (source == null ? "an empty volume" : source.describe()) + " as " + name);
        live.put(name, clone);
        created.add(name);
        return clone;
    }

    @Override
    public void deleteClone(Clone clone) {
        if (live.remove(clone.id()) != null) {
            deleted.add(clone.id());
        }
    }

    /** Its volumes are names only, attached nowhere. */
    @Override
    public void releaseForAnotherNode(Clone clone) {
    }

    @Override
    public List<Clone> listClones() {
        return List.copyOf(live.values());
    }

    public List<String> liveVolumes() {
        return List.copyOf(live.keySet());
    }

    public List<String> createdVolumes() {
        return List.copyOf(created);
    }

    public List<String> deletedVolumes() {
        return List.copyOf(deleted);
    }
}
