package io.snapci.scheduler.portworx;

import io.snapci.scheduler.core.storage.StorageException;
import io.snapci.scheduler.core.storage.StorageException.Kind;
import io.snapci.scheduler.portworx.sdk.GrpcCode;
import io.snapci.scheduler.portworx.sdk.Messages;
import io.snapci.scheduler.portworx.sdk.OpenStorageClient;
import io.snapci.scheduler.portworx.sdk.SdkException;
import io.snapci.scheduler.portworx.sdk.Volume;
import io.snapci.scheduler.portworx.sdk.VolumeSpecUpdate;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The only way snapci changes, detaches or deletes a Portworx volume. Every change re-reads the volume first and
 * refuses — in code, whatever the caller believes — unless {@link VolumeProof} proves it is snapci's of the expected
 * kind (name, shape, parent and labels agreeing; labels alone are inherited by anyone's clone), and it is not a volume
 * snapci has seen used as a source. A snapshot or base copy is deleted only when nothing is made from it any more:
 * the SDK deletes a volume with clones all the same (volume_ops.go:398, fake.go:239-253), which would strand them.
 */
public final class OwnedVolumes {

    private final OpenStorageClient client;
    private final VolumeProof proof;
    private final Set<String> sources = ConcurrentHashMap.newKeySet();

    public OwnedVolumes(OpenStorageClient client, VolumeNames names) {
        this.client = client;
        this.proof = new VolumeProof(names);
    }

    /** Remembers a source volume: nothing may ever change it, whatever its labels say. */
    void protect(Volume source) {
        sources.add(source.id());
    }

    /**
     * The volume now, or empty when it does not exist. Only the SDK's own NOT_FOUND means gone: a plain-text 404 of
     * the gateway's router (an unknown path) is a failure.
     */
    Optional<Volume> find(String volumeId) throws StorageException {
        try {
            return Optional.of(client.inspect(volumeId).volume());
        } catch (SdkException e) {
            if (e.code() == GrpcCode.NOT_FOUND && e.isStatus()) {
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

    /** Null when {@code v} is proven snapci's clone for {@code run} (any run when null), else why not. */
    public String whyNotClone(Volume v, String run) throws StorageException {
        return sourceOr(v, () -> proof.whyNotClone(v, run, this::find));
    }

    /**
     * As {@link #whyNotClone(Volume, String)}, with parents read from {@code listing} (every volume, when
     * {@code complete}: one missing there is gone) instead of one inspect each.
     */
    public String whyNotClone(Volume v, String run, Map<String, Volume> listing, boolean complete)
            throws StorageException {
        return sourceOr(v, () -> proof.whyNotClone(v, run, from(listing, complete)));
    }

    String whyNotAdoptable(Volume v, String run, Map<String, Volume> listing, boolean complete)
            throws StorageException {
        return sourceOr(v, () -> proof.whyNotAdoptable(v, run, from(listing, complete)));
    }

    private VolumeProof.Lookup from(Map<String, Volume> listing, boolean complete) {
        return id -> listing.containsKey(id) ? Optional.of(listing.get(id))
                : complete ? Optional.empty() : find(id);
    }

    /**
     * Labels and deletes an unlabelled clone for {@code run} (a crash between clone and label, or a server that
     * ignores {@code additional_labels}); refused unless it is {@link #whyNotAdoptable adoptable}. Its labels come
     * from its parent, or, the parent gone, from what it inherited.
     */
    void adoptOrphan(Volume v, String run) throws StorageException {
        require(v, whyNotAdoptable(v, run), "label");
        Optional<Volume> parent = find(v.parent());
        Map<String, String> labels = new java.util.HashMap<>(Map.of(Labels.CREATED_BY, Labels.SNAPCI, Labels.KIND,
                Labels.KIND_CLONE, Labels.RUN, run));
        Volume origin = parent.orElse(v);
        for (String key : List.of(Labels.SOURCE, Labels.SOURCE_NAME)) {
            String value = origin.labels().get(key);
            if (value != null) {
                labels.put(key, value);
            }
        }
        labels.put(parent.isPresent() && Labels.isKind(parent.get(), Labels.KIND_BASE) ? Labels.BASE_COPY
                : Labels.SNAPSHOT, v.parent());
        adoptClone(v.id(), run, labels, null);
    }

    /** Null when {@code v} is proven snapci's snapshot, else why not. */
    public String whyNotSnapshot(Volume v) throws StorageException {
        return sourceOr(v, () -> proof.whyNotSnapshot(v));
    }

    /** Null when {@code v} is proven a base copy of {@code base} (any when null), else why not. */
    public String whyNotBaseCopy(Volume v, String base) throws StorageException {
        return sourceOr(v, () -> proof.whyNotBaseCopy(v, base, this::find));
    }

    /** Null when {@code v} is a clone for {@code run} snapci made but has not labelled yet, else why not. */
    String whyNotAdoptable(Volume v, String run) throws StorageException {
        return sourceOr(v, () -> proof.whyNotAdoptable(v, run, this::find));
    }

    /** Deletes snapci's clone for {@code run} (any run when null); gone already is fine. */
    public void deleteClone(String volumeId, String run) throws StorageException {
        Optional<Volume> now = find(volumeId);
        if (now.isEmpty()) {
            return;
        }
        Volume v = require(now.get(), whyNotClone(now.get(), run), "delete");
        delete(v, "clone");
    }

    /**
     * Deletes snapci's snapshot (of run {@code run} when not null) unless something is still made from it.
     *
     * @return false when it is kept because volumes were made from it (named in {@code keptFor} when given)
     */
    public boolean deleteSnapshot(String volumeId, String run) throws StorageException {
        return deleteSnapshot(volumeId, run, null);
    }

    /**
     * As {@link #deleteSnapshot(String, String)}, {@code listing} (when not null) being every volume as read a moment
     * ago: volumes made from the snapshot are found there, and SnapshotEnumerate is asked only for newer ones.
     */
    boolean deleteSnapshot(String volumeId, String run, Map<String, Volume> listing) throws StorageException {
        Optional<Volume> now = find(volumeId);
        if (now.isEmpty()) {
            return true;
        }
        Volume v = require(now.get(), whyNotSnapshot(now.get()), "delete");
        if (run != null && !run.equals(v.labels().get(Labels.RUN))) {
            throw refusal(v, "delete", "it belongs to run " + v.labels().get(Labels.RUN) + ", not to run " + run);
        }
        boolean madeFrom = listing != null
                ? listing.values().stream().anyMatch(o -> v.id().equals(o.parent())) || !enumerated(v).isEmpty()
                : !dependents(v).isEmpty();
        if (madeFrom) {
            return false;
        }
        delete(v, "snapshot");
        return true;
    }

    private List<String> enumerated(Volume v) throws StorageException {
        try {
            return client.snapshotEnumerate(v.id());
        } catch (SdkException e) {
            if (e.code() == GrpcCode.NOT_FOUND && e.isStatus()) {
                return List.of();
            }
            throw Failures.of("listing what was made from " + v.describe(), e);
        }
    }

    /** Deletes a base copy of {@code base} unless a run's clone is still made from it; see {@link #deleteSnapshot}. */
    public boolean deleteBaseCopy(String volumeId, String base) throws StorageException {
        Optional<Volume> now = find(volumeId);
        if (now.isEmpty()) {
            return true;
        }
        Volume v = require(now.get(), whyNotBaseCopy(now.get(), base), "delete");
        if (!dependents(v).isEmpty()) {
            return false;
        }
        delete(v, "base copy");
        return true;
    }

    /**
     * What is made from {@code v}: SnapshotEnumerate lists every volume whose parent it is, clones included
     * (default_store_enumerator.go:132-156), and, in case a Portworx lists snapshots only, the volumes that
     * inherited its purpose label (every clone of it does, api.proto:3728-3730) and name it as parent.
     */
    Set<String> dependents(Volume v) throws StorageException {
        Set<String> ids = new LinkedHashSet<>();
        try {
            ids.addAll(client.snapshotEnumerate(v.id()));
            for (String key : List.of(Labels.RUN, Labels.SCHEDULE, Labels.BASE)) {
                String value = v.labels().get(key);
                if (value != null) {
                    for (Messages.InspectResponse r : client.inspectWithFilters(null, Map.of(Labels.CREATED_BY,
                            Labels.SNAPCI, key, value))) {
                        if (v.id().equals(r.volume().parent())) {
                            ids.add(r.volume().id());
                        }
                    }
                }
            }
        } catch (SdkException e) {
            if (e.code() == GrpcCode.NOT_FOUND && e.isStatus()) {
                return Set.of(); // gone meanwhile
            }
            throw Failures.of("listing what was made from " + v.describe(), e);
        }
        return ids;
    }

    /**
     * Gives a clone for {@code run} its labels and (when {@code tierSpec} is not null) puts it on the CI tier. The
     * labels normally came with the clone ({@code additional_labels}); the update is skipped then unless the tier
     * needs it. Refused unless the volume is proven snapci's clone for the run or {@link #whyNotAdoptable adoptable}.
     */
    void adoptClone(String cloneId, String run, Map<String, String> labels, VolumeSpecUpdate tierSpec)
            throws StorageException {
        adoptClone(cloneId, run, labels, tierSpec, null);
    }

    /**
     * As above, {@code parent} (when not null) being the clone's parent, proven by the caller in this same call;
     * returns the clone as it is now, proven snapci's clone for {@code run} and writable: what a task may mount.
     */
    Volume adoptClone(String cloneId, String run, Map<String, String> labels, VolumeSpecUpdate tierSpec,
                      Volume parent) throws StorageException {
        VolumeProof.Lookup lookup = parent == null ? this::find : new VolumeProof.Lookup() {
            @Override
            public Optional<Volume> find(String id) throws StorageException {
                return id.equals(parent.id()) ? Optional.of(parent) : OwnedVolumes.this.find(id);
            }

            @Override
            public boolean proven(String id) {
                return id.equals(parent.id());
            }
        };
        Volume v = find(cloneId).orElseThrow(() -> new StorageException(Kind.INTERNAL, "the clone " + cloneId
                + " for run " + run + " vanished right after it was made; run the job again"));
        boolean proven = sourceOr(v, () -> proof.whyNotClone(v, run, lookup)) == null;
        if (!proven) {
            require(v, sourceOr(v, () -> proof.whyNotAdoptable(v, run, lookup)), "label");
        }
        boolean relabel = !proven || !Labels.carries(v, labels);
        boolean retier = tierSpec != null && !tierSpec.isEmpty();
        if (!relabel && !retier) {
            return require(v, v.readonly() ? "it is read-only" : null, "mount writable");
        }
        try {
            client.update(v.id(), relabel ? Labels.replacing(labels) : null, retier ? tierSpec : null);
        } catch (SdkException e) {
            throw Failures.of("labelling the clone " + v.describe() + (retier ? " and moving it to the CI tier" : ""),
                    e);
        }
        Volume now = find(cloneId).orElseThrow(() -> new StorageException(Kind.INTERNAL, "the clone " + cloneId
                + " for run " + run + " vanished while it was labelled; run the job again"));
        return require(now, sourceOr(now, () -> proof.whyNotClone(now, run, lookup)), "mount writable");
    }

    /**
     * Gives one snapshot of a group snapshot (a run's, or a schedule's cut) the labels of its source and node: the
     * group request has one label map for every snapshot (api.proto:1564). Refused unless it is read-only, made from
     * {@code source}, and carries the request's labels {@code groupLabels} — or, {@code answered} (its id is the one
     * the server's answer to snapci's own group request gave for {@code source}), carries no snapci label at all: a
     * server that ignores the request's labels. Returns it as it is now, proven snapci's snapshot.
     */
    Volume labelGroupSnapshot(String snapshotId, String group, Map<String, String> groupLabels,
                              Map<String, String> labels, Volume source, boolean answered) throws StorageException {
        Volume v = find(snapshotId).orElseThrow(() -> new StorageException(Kind.INTERNAL, "snapshot " + snapshotId
                + " of the group snapshot " + group + " vanished right after it was taken; run the job again"));
        boolean marked = groupLabels.entrySet().stream()
                .allMatch(e -> e.getValue().equals(v.labels().get(e.getKey())));
        boolean ours = v.readonly() && source.id().equals(v.parent()) && (marked || answered && !Labels.isSnapci(v));
        if (!ours) {
            throw refusal(v, "label", "it is not a snapshot of " + source.describe() + " from the group snapshot "
                    + group);
        }
        Volume now = v;
        if (!Labels.carries(v, labels)) {
            try {
                client.update(v.id(), labels, null);
            } catch (SdkException e) {
                throw Failures.of("labelling snapshot " + v.describe() + " of the group snapshot " + group, e);
            }
            now = find(snapshotId).orElseThrow(() -> new StorageException(Kind.INTERNAL, "snapshot " + snapshotId
                    + " vanished while it was labelled; run the job again"));
        }
        return require(now, whyNotSnapshot(now), "use as a snapshot of the cut " + group);
    }

    /**
     * A run's group snapshot left by a crash between the group request and its labelling: read-only, carrying the
     * request's labels for run {@code run} (created-by, kind, run, the run's group id), no source label yet, and made
     * from a volume that is not snapci's (a production volume: snapci never takes a cut of its own). Null when it is
     * one, else why not.
     */
    String whyNotUnlabelledGroupSnapshot(Volume v, String run, Map<String, Volume> listing, VolumeNames names)
            throws StorageException {
        if (sources.contains(v.id())) {
            return "it is a source of production data";
        }
        boolean requestLabels = v.readonly() && Labels.isKind(v, Labels.KIND_SNAPSHOT) && run != null
                && run.equals(v.labels().get(Labels.RUN)) && names.group(run).equals(v.labels().get(Labels.GROUP))
                && !v.labels().containsKey(Labels.SOURCE) && !v.labels().containsKey(Labels.SCHEDULE)
                && !v.labels().containsKey(Labels.BASE) && !v.labels().containsKey(Labels.SNAPSHOT);
        if (!requestLabels) {
            return "it does not carry exactly the labels of run " + run + "'s group request";
        }
        Volume parent = v.parent() == null ? null : listing.get(v.parent());
        if (parent == null || parent.readonly() || Labels.isSnapci(parent)) {
            return "its parent " + v.parent() + " is not a production volume";
        }
        return null;
    }

    /** Gives such a snapshot ({@link #whyNotUnlabelledGroupSnapshot}) its source labels, so that it is proven. */
    Volume adoptUnlabelledGroupSnapshot(Volume v, String run, Map<String, Volume> listing, VolumeNames names)
            throws StorageException {
        require(v, whyNotUnlabelledGroupSnapshot(v, run, listing, names), "label");
        Volume parent = listing.get(v.parent());
        try {
            client.update(v.id(), Map.of(Labels.SOURCE, parent.id(), Labels.SOURCE_NAME, parent.name()), null);
        } catch (SdkException e) {
            throw Failures.of("labelling the left-over group snapshot " + v.describe(), e);
        }
        Volume now = find(v.id()).orElse(v);
        return require(now, whyNotSnapshot(now), "collect");
    }

    /** Whether anything is made from snapci's snapshot {@code v} (a clone or snapshot, anyone's). */
    public boolean hasDependents(Volume v) throws StorageException {
        return !dependents(v).isEmpty();
    }

    /** Detaches (when attached) and deletes snapci's clone for {@code run}, read once; gone already is fine. */
    void detachAndDeleteClone(String volumeId, String run) throws StorageException {
        detachAndDeleteClone(volumeId, run, Map.of());
    }

    /** As above, parents read from {@code listing} where it has them (every volume as read a moment ago). */
    void detachAndDeleteClone(String volumeId, String run, Map<String, Volume> listing) throws StorageException {
        Optional<Volume> now = find(volumeId);
        if (now.isEmpty()) {
            return;
        }
        Volume v = require(now.get(), whyNotClone(now.get(), run, listing, false), "delete");
        if (v.isAttached()) {
            try {
                client.detach(v.id());
            } catch (SdkException e) {
                throw Failures.of("detaching the clone " + v.describe() + " from node " + v.attachedOn(), e);
            }
        }
        delete(v, "clone");
    }

    /** Gives a base copy its labels when the server did not at creation, and puts it on the CI tier. */
    void adoptBaseCopy(String id, String base, Volume snapshot, Map<String, String> labels,
                       VolumeSpecUpdate tierSpec) throws StorageException {
        Volume v = find(id).orElseThrow(() -> new StorageException(Kind.INTERNAL, "the base copy " + id
                + " vanished right after it was made"));
        boolean proven = whyNotBaseCopy(v, base) == null;
        boolean madeFromOurs = !v.readonly() && snapshot.id().equals(v.parent()) && whyNotSnapshot(snapshot) == null
                && base.equals(snapshot.labels().get(Labels.BASE));
        if (!proven && !madeFromOurs) {
            throw refusal(v, "label", "it is neither a base copy of " + base + " nor a clone of its snapshot");
        }
        try {
            client.update(v.id(), proven && Labels.carries(v, labels) ? null : Labels.replacing(labels), tierSpec);
        } catch (SdkException e) {
            throw Failures.of("labelling the base copy " + v.describe() + " and moving it to the CI tier", e);
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
        Volume v = require(now.get(), whyNotClone(now.get(), run), "detach");
        try {
            client.detach(v.id());
        } catch (SdkException e) {
            throw Failures.of("detaching the clone " + v.describe() + " from node " + v.attachedOn(), e);
        }
    }

    /** A volume a task may mount writable: snapci's clone for this run, never a source or a snapshot. */
    Volume requireMountable(Volume v, String run) throws StorageException {
        return require(v, whyNotClone(v, run), "mount writable");
    }

    private void delete(Volume v, String what) throws StorageException {
        try {
            client.delete(v.id());
        } catch (SdkException e) {
            throw Failures.of("deleting " + what + " " + v.describe(), e);
        }
    }

    private Volume require(Volume v, String whyNot, String action) throws StorageException {
        if (whyNot != null) {
            throw refusal(v, action, whyNot);
        }
        return v;
    }

    private static StorageException refusal(Volume v, String action, String why) {
        return new StorageException(Kind.REFUSED, "not going to " + action + " volume " + v.describe() + ": " + why
                + ". Delete it by hand if it is not needed.");
    }

    @FunctionalInterface
    private interface Check {
        String why() throws StorageException;
    }

    private String sourceOr(Volume v, Check check) throws StorageException {
        if (sources.contains(v.id())) {
            return "it is a source of production data, which snapci only ever reads";
        }
        return check.why();
    }
}
