package io.snapci.scheduler.portworx;

import io.snapci.model.Source;
import io.snapci.scheduler.core.storage.Clone;
import io.snapci.scheduler.core.storage.SnapshotDriver;
import io.snapci.scheduler.core.storage.StorageException;
import io.snapci.scheduler.core.storage.StorageException.Kind;
import io.snapci.scheduler.portworx.sdk.GrpcCode;
import io.snapci.scheduler.portworx.sdk.Messages;
import io.snapci.scheduler.portworx.sdk.OpenStorageClient;
import io.snapci.scheduler.portworx.sdk.SdkException;
import io.snapci.scheduler.portworx.sdk.Volume;
import io.snapci.scheduler.portworx.sdk.VolumeSpec;
import io.snapci.scheduler.portworx.sdk.VolumeSpecUpdate;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Writable copies of production Portworx volumes for CI runs, over the OpenStorage SDK (see the {@code sdk}
 * package for the API version followed).
 *
 * <p>A run's copy: the source volume is looked up by name; a scheduled snapshot of it no older than the run's
 * {@link Source#maxAge()} is reused, otherwise a snapshot is taken for the run ({@code snapci-<run>-snap}); a clone
 * of that snapshot ({@code snapci-<run>}) is made, labelled and moved to the CI tier (lower class of service and io
 * profile, replicas on the CI nodes). The task mounts the clone by name as a {@code pxd} docker volume
 * ({@link Clone#volumeName()}); it never gets a source's name. {@link Clone#dataTakenAt()} is the snapshot's time and
 * the description names the snapshot and the data's age, which the run records.
 *
 * <p>Safety: every change and delete goes through {@link OwnedVolumes}, which refuses volumes without snapci's labels
 * and any volume seen as a source. Every create uses a deterministic name, so retries after lost answers are
 * idempotent. On failure, what this call made is deleted before the exception is thrown; what cannot be deleted
 * then (Portworx down) carries labels that {@link PortworxGarbageCollector} finds later.
 *
 * <p>Construction: {@code new PortworxDriver(PortworxConfig.of(SdkConfig.of(URI.create("https://px-api:9021"))
 * .withToken(token).withCaCertificate(caPem)).withTier(new CiTier("LOW", "IO_PROFILE_SEQUENTIAL",
 * Map.of("snapci/tier", "ci"), Map.of())), Clock.systemUTC())}.
 */
public final class PortworxDriver implements SnapshotDriver {

    private final PortworxConfig config;
    private final OpenStorageClient client;
    private final OwnedVolumes owned;
    private final Snapshots snapshots;
    private final CiPlacement placement;
    private final VolumeNames names;
    private final Clock clock;

    public PortworxDriver(PortworxConfig config, Clock clock) {
        this(config, new OpenStorageClient(config.sdk()), clock);
    }

    public PortworxDriver(PortworxConfig config, OpenStorageClient client, Clock clock) {
        this.config = config;
        this.client = client;
        this.owned = new OwnedVolumes(client);
        this.snapshots = new Snapshots(client, config.snapshotCapPerVolume());
        this.placement = new CiPlacement(client, config.tier(), clock);
        this.names = new VolumeNames(config.namePrefix());
        this.clock = clock;
    }

    public OpenStorageClient client() {
        return client;
    }

    public OwnedVolumes ownedVolumes() {
        return owned;
    }

    public Snapshots snapshots() {
        return snapshots;
    }

    public VolumeNames names() {
        return names;
    }

    @Override
    public Clone createClone(String runId, Source source) throws StorageException {
        VolumeNames.checkToken("run id", runId);
        if (source == null) {
            return createEmpty(runId);
        }
        if (source.volume() == null) {
            throw new StorageException(Kind.INVALID_SOURCE, "the Portworx driver copies volumes, but the source is the"
                    + " directory " + source.dataDir() + ": give the Portworx volume's name, or use the local driver");
        }
        Volume src = snapshots.source(source.volume());
        owned.protect(src);
        refuseExistingCopy(runId);
        Instant started = clock.instant();
        Duration maxAge = source.maxAge();
        Optional<Volume> reused = maxAge == null || maxAge.isZero() ? Optional.empty()
                : snapshots.youngestScheduled(src, maxAge, started);
        Volume snapshot = null;
        String cloneId = null;
        try {
            snapshot = reused.isPresent() ? reused.get()
                    : snapshots.take(src, names.runSnapshot(runId), Labels.runSnapshot(runId, src));
            cloneId = cloneOf(snapshot, names.clone(runId));
            VolumeSpecUpdate tier = placement.specFor(haLevel(snapshot), names.clone(runId));
            owned.adoptClone(cloneId, names.clone(runId), snapshot, runId, Labels.clone(runId, src, snapshot), tier);
            Volume clone = owned.requireMountable(owned.find(cloneId).orElseThrow(), runId);
            return toClone(clone, describe(clone, src, snapshot, reused.isPresent(), started, tier));
        } catch (StorageException | RuntimeException e) {
            cleanUp(runId, cloneId, reused.isEmpty() ? snapshot : null, e);
            throw e;
        }
    }

    /** A run without a source gets an empty volume of the configured size. */
    private Clone createEmpty(String runId) throws StorageException {
        refuseExistingCopy(runId);
        VolumeSpecUpdate tier = placement.specFor(1, names.clone(runId));
        VolumeSpec spec = new VolumeSpec(config.emptyVolumeBytes(), 1L, tier.cos(), tier.ioProfile(),
                tier.replicaSet());
        String id = null;
        try {
            id = client.create(names.clone(runId), spec, Labels.clone(runId, null, null));
            Volume clone = owned.requireMountable(owned.find(id).orElseThrow(), runId);
            return toClone(clone, "empty volume " + clone.describe() + " (no source data); CI tier: "
                    + CiPlacement.describe(tier));
        } catch (SdkException e) {
            StorageException failure = Failures.of("creating the empty volume " + names.clone(runId), e);
            cleanUp(runId, id, null, failure);
            throw failure;
        } catch (StorageException | RuntimeException e) {
            cleanUp(runId, id, null, e);
            throw e;
        }
    }

    @Override
    public void deleteClone(Clone clone) throws StorageException {
        if (clone == null || clone.id() == null || clone.runId() == null) {
            throw new StorageException(Kind.REFUSED, "cannot delete a copy without a volume id and run id: " + clone);
        }
        // A clone still attached (its agent died mid-run, or the unmount has not reached Portworx yet) cannot be
        // deleted: detach it first.
        owned.detach(clone.id(), clone.runId());
        owned.delete(clone.id(), Labels.KIND_CLONE, clone.runId());
        for (Volume snap : snapshots.owned(Map.of(Labels.RUN, clone.runId()))) {
            if (!snap.labels().containsKey(Labels.SCHEDULE)) {
                owned.delete(snap.id(), Labels.KIND_SNAPSHOT, clone.runId());
            }
        }
    }

    @Override
    public void releaseForAnotherNode(Clone clone) throws StorageException {
        if (clone == null || clone.id() == null || clone.runId() == null) {
            return; // an empty run without a volume
        }
        owned.detach(clone.id(), clone.runId());
    }

    @Override
    public List<Clone> listClones() throws StorageException {
        List<Clone> clones = new ArrayList<>();
        try {
            for (Messages.InspectResponse r : client.inspectWithFilters(null, Labels.allOfKind(Labels.KIND_CLONE))) {
                Volume v = r.volume();
                if (Labels.isKind(v, Labels.KIND_CLONE) && v.labels().containsKey(Labels.RUN)) {
                    clones.add(toClone(v, "clone " + v.describe() + " of " + v.labels().getOrDefault(
                            Labels.SOURCE_NAME, "nothing (empty volume)")));
                }
            }
        } catch (SdkException e) {
            throw Failures.of("listing snapci's clones", e);
        }
        return clones;
    }

    private void refuseExistingCopy(String runId) throws StorageException {
        try {
            List<Messages.InspectResponse> existing = client.inspectWithFilters(null,
                    Map.of(Labels.CREATED_BY, Labels.SNAPCI, Labels.KIND, Labels.KIND_CLONE, Labels.RUN, runId));
            if (!existing.isEmpty()) {
                throw new StorageException(Kind.CONFLICT, "a copy for run " + runId + " already exists ("
                        + existing.get(0).volume().describe() + "): use a new run id, or delete the old copy if"
                        + " nothing uses it any more");
            }
        } catch (SdkException e) {
            throw Failures.of("checking for an existing copy of run " + runId, e);
        }
    }

    /** Clones the snapshot under the run's name; a retry after a lost answer gets the same volume back. */
    private String cloneOf(Volume snapshot, String name) throws StorageException {
        try {
            return client.clone(name, snapshot.id());
        } catch (SdkException e) {
            if (e.isTransient()) {
                Optional<String> made = idOfName(name).filter(id -> owned.findQuietly(id)
                        .map(v -> snapshot.id().equals(v.parent())).orElse(false));
                if (made.isPresent()) {
                    return made.get();
                }
            }
            throw Failures.of("cloning snapshot " + snapshot.describe() + " to " + name, e);
        }
    }

    private Optional<String> idOfName(String name) {
        try {
            return client.inspectWithFilters(name, null).stream().map(r -> r.volume().id()).findFirst();
        } catch (SdkException e) {
            return Optional.empty();
        }
    }

    /**
     * Deletes what a failed create made: the clone (labelled, or still unlabelled but then a clone of our snapshot
     * under our name) and the run's own snapshot. A failure here is added to the original one; the labels let GC
     * finish the job.
     */
    private void cleanUp(String runId, String cloneId, Volume runSnapshot, Exception failure) {
        if (cloneId != null) {
            try {
                Optional<Volume> clone = owned.find(cloneId);
                if (clone.isPresent() && !Labels.isSnapci(clone.get())) {
                    // made but not yet labelled: label it first, so the guarded delete may take it
                    owned.adoptClone(cloneId, names.clone(runId), runSnapshot != null ? runSnapshot
                            : owned.find(clone.get().parent()).orElse(null), runId,
                            Labels.clone(runId, null, null), null);
                }
                owned.delete(cloneId, Labels.KIND_CLONE, runId);
            } catch (StorageException | RuntimeException e) {
                failure.addSuppressed(e);
            }
        }
        if (runSnapshot != null) {
            try {
                owned.delete(runSnapshot.id(), Labels.KIND_SNAPSHOT, runId);
            } catch (StorageException | RuntimeException e) {
                failure.addSuppressed(e);
            }
        }
    }

    private static long haLevel(Volume snapshot) {
        return snapshot.spec() == null || snapshot.spec().haLevel() == null ? 1 : snapshot.spec().haLevel();
    }

    private Clone toClone(Volume clone, String description) {
        return new Clone(clone.id(), clone.labels().get(Labels.RUN), clone.labels().get(Labels.SOURCE_NAME), null,
                clone.name(), Labels.dataTaken(clone), description);
    }

    private static String describe(Volume clone, Volume source, Volume snapshot, boolean reused, Instant started,
                                   VolumeSpecUpdate tier) {
        Duration age = snapshot.ctime() == null ? Duration.ZERO : Duration.between(snapshot.ctime(), started);
        return "clone " + clone.describe() + " of snapshot " + snapshot.describe() + " of volume " + source.name()
                + ", data taken " + snapshot.ctime() + " (" + human(age) + " old when the run started"
                + (reused ? "; reused scheduled snapshot '" + snapshot.labels().get(Labels.SCHEDULE) + "'"
                : "; snapshot taken for this run") + "); CI tier: " + CiPlacement.describe(tier);
    }

    private static String human(Duration d) {
        long s = Math.max(0, d.getSeconds());
        return s < 60 ? s + " s" : s < 3600 ? (s / 60) + " min " + (s % 60) + " s"
                : (s / 3600) + " h " + (s % 3600 / 60) + " min";
    }
}
