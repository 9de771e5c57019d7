package io.snapci.scheduler.portworx;

import io.snapci.scheduler.core.storage.StorageException;
import io.snapci.scheduler.core.storage.StorageException.Kind;
import io.snapci.scheduler.portworx.sdk.GrpcCode;
import io.snapci.scheduler.portworx.sdk.OpenStorageClient;
import io.snapci.scheduler.portworx.sdk.SdkException;
import io.snapci.scheduler.portworx.sdk.Volume;
import io.snapci.scheduler.portworx.sdk.VolumeSpecUpdate;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The only way snapci changes or deletes a Portworx volume. Every change re-reads the volume first and refuses —
 * in code, whatever the caller believes — unless the volume carries {@code created-by=snapci} with the expected kind
 * and run, is not a volume snapci has seen used as a source, and, for deletes, is not a source to anything else.
 * The one volume without the label it may change is a clone this process has just made from its own labelled
 * snapshot, under the name it asked for, to give it its labels ({@link #adoptClone}).
 */
public final class OwnedVolumes {

    private final OpenStorageClient client;
    private final Set<String> sources = ConcurrentHashMap.newKeySet();

    public OwnedVolumes(OpenStorageClient client) {
        this.client = client;
    }

    /** Remembers a source volume: nothing may ever change it, whatever its labels say. */
    void protect(Volume source) {
        sources.add(source.id());
    }

    /** The volume now, or empty when it does not exist. */
    Optional<Volume> find(String volumeId) throws StorageException {
        try {
            return Optional.of(client.inspect(volumeId).volume());
        } catch (SdkException e) {
            if (e.code() == GrpcCode.NOT_FOUND) {
                return Optional.empty();
            }
            throw Failures.of("inspecting volume " + volumeId, e);
        }
    }

    /** The volume now, or empty when it does not exist or cannot be read. */
    Optional<Volume> findQuietly(String volumeId) {
        try {
            return find(volumeId);
        } catch (StorageException e) {
            return Optional.empty();
        }
    }

    /**
     * Deletes a snapshot or clone snapci made (public for schedules' retention). Gone already is fine. {@code run} (or null for any) must match its
     * run label.
     */
    public void delete(String volumeId, String kind, String run) throws StorageException {
        Optional<Volume> now = find(volumeId);
        if (now.isEmpty()) {
            return;
        }
        Volume v = requireOwned(now.get(), kind, run, "delete");
        try {
            client.delete(v.id());
        } catch (SdkException e) {
            throw Failures.of("deleting " + kind + " " + v.describe(), e);
        }
    }

    /**
     * Labels a clone this driver has just made and puts it on the CI tier. Refused unless the volume is a writable
     * clone of {@code snapshot} named {@code expectedName} (or is already snapci's clone for the run).
     */
    void adoptClone(String cloneId, String expectedName, Volume snapshot, String run, Map<String, String> labels,
                    VolumeSpecUpdate tierSpec) throws StorageException {
        Volume v = find(cloneId).orElseThrow(() -> new StorageException(Kind.INTERNAL, "the clone " + expectedName
                + " (" + cloneId + ") vanished right after it was made; run the job again"));
        refuseSource(v, "label");
        boolean ownedAlready = Labels.isKind(v, Labels.KIND_CLONE) && run.equals(v.labels().get(Labels.RUN));
        boolean justMade = !v.readonly() && expectedName.equals(v.name()) && snapshot != null
                && snapshot.id().equals(v.parent()) && Labels.isKind(snapshot, Labels.KIND_SNAPSHOT);
        if (!ownedAlready && !justMade) {
            throw new StorageException(Kind.REFUSED, "not changing volume " + v.describe() + ": it is neither"
                    + " snapci's clone for run " + run + " nor a writable clone of snapci's snapshot named "
                    + expectedName);
        }
        try {
            client.update(v.id(), labels, tierSpec);
        } catch (SdkException e) {
            throw Failures.of("labelling the clone " + v.describe() + " and moving it to the CI tier", e);
        }
    }

    /**
     * Detaches snapci's clone for {@code run} from the node it is attached on (a lost agent's), so that another node
     * can mount it. Nothing to do when it is gone or not attached; refused for anything snapci did not make.
     */
    void detach(String volumeId, String run) throws StorageException {
        Optional<Volume> now = find(volumeId);
        if (now.isEmpty() || !now.get().isAttached()) {
            return;
        }
        Volume v = requireOwned(now.get(), Labels.KIND_CLONE, run, "detach");
        try {
            client.detach(v.id());
        } catch (SdkException e) {
            throw Failures.of("detaching the clone " + v.describe() + " from node " + v.attachedOn(), e);
        }
    }

    /** Changes the spec of a snapci clone (CI tier placement). */
    void updateClone(String cloneId, String run, VolumeSpecUpdate spec) throws StorageException {
        Volume v = requireOwned(find(cloneId).orElseThrow(() -> new StorageException(Kind.INTERNAL,
                "clone " + cloneId + " is gone")), Labels.KIND_CLONE, run, "update");
        try {
            client.update(v.id(), null, spec);
        } catch (SdkException e) {
            throw Failures.of("placing the clone " + v.describe() + " on the CI tier", e);
        }
    }

    /** A volume a task may mount writable: snapci's clone for this run, never a source or a snapshot. */
    Volume requireMountable(Volume v, String run) throws StorageException {
        Volume owned = requireOwned(v, Labels.KIND_CLONE, run, "mount writable");
        if (owned.readonly()) {
            throw new StorageException(Kind.REFUSED, "not handing " + v.describe() + " to a task: it is read-only");
        }
        return owned;
    }

    private Volume requireOwned(Volume v, String kind, String run, String action) throws StorageException {
        refuseSource(v, action);
        if (!Labels.isKind(v, kind)) {
            throw new StorageException(Kind.REFUSED, "not going to " + action + " volume " + v.describe()
                    + ": it lacks snapci's labels " + Labels.CREATED_BY + "=" + Labels.SNAPCI + ", " + Labels.KIND
                    + "=" + kind + ", so snapci did not make it. Delete it by hand if it is not needed.");
        }
        if (run != null && !run.equals(v.labels().get(Labels.RUN))) {
            throw new StorageException(Kind.REFUSED, "not going to " + action + " volume " + v.describe()
                    + ": it belongs to run " + v.labels().get(Labels.RUN) + ", not to run " + run);
        }
        return v;
    }

    private void refuseSource(Volume v, String action) throws StorageException {
        if (sources.contains(v.id())) {
            throw new StorageException(Kind.REFUSED, "not going to " + action + " volume " + v.describe()
                    + ": it is a source of production data, which snapci only ever reads");
        }
    }
}
