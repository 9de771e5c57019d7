package io.snapci.scheduler.portworx;

import io.snapci.model.Source;
import io.snapci.scheduler.core.storage.Clone;
import io.snapci.scheduler.core.storage.SnapshotDriver;
import io.snapci.scheduler.core.storage.SourceGate;
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
 * <p>A run's copy: the source volume is looked up by name. When the run's {@link Source#maxAge()} allows, the newest
 * CI-tier base copy of the source ({@link BaseCopies}) young enough is cloned: the clone is instant and already on the
 * CI nodes, so nothing is copied for the run. Otherwise a scheduled snapshot young enough is reused, or a snapshot is
 * taken for the run ({@code snapci-<run>-snap}), and its clone ({@code snapci-<run>}) is moved to the CI tier (lower
 * class of service and io profile, replicas on the CI nodes: Portworx then copies the volume in the background).
 * Clones are labelled at creation ({@code additional_labels}) and, for servers that ignore it, by an update. The task
 * mounts the clone by name as a {@code pxd} docker volume ({@link Clone#volumeName()}); it never gets a source's
 * name. {@link Clone#dataTakenAt()} is when the data was taken; the description says which path was taken (base copy,
 * scheduled snapshot, or a snapshot for the run) and the data's age, which the run records.
 *
 * <p>Safety: every change and delete goes through {@link OwnedVolumes}, which refuses anything {@link VolumeProof}
 * does not prove snapci's, and any volume seen as a source. Every create uses a deterministic name, looked up before
 * snapshots are taken, so retries after lost answers are idempotent. On failure, what this call made is deleted
 * before the exception is thrown — the clone first, its snapshot only once nothing is made from it; what cannot be
 * deleted then (Portworx down) is found later by {@link PortworxGarbageCollector}.
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
    private final ClusterCopies cluster;
    private final Cuts cuts;
    private final ScheduledCuts scheduledCuts;
    private final Clock clock;

    public PortworxDriver(PortworxConfig config, Clock clock) {
        this(config, new OpenStorageClient(config.sdk()), clock);
    }

    public PortworxDriver(PortworxConfig config, OpenStorageClient client, Clock clock) {
        this.config = config;
        this.client = client;
        this.names = new VolumeNames(config.namePrefix());
        this.owned = new OwnedVolumes(client, names);
        this.snapshots = new Snapshots(client, owned, config.snapshotCapPerVolume(), config.sdk().retry().attempts());
        this.placement = new CiPlacement(client, config.tier(), clock);
        this.cuts = new Cuts(client, owned, snapshots, clock);
        this.cluster = new ClusterCopies(client, owned, snapshots, placement, names, cuts, clock);
        this.scheduledCuts = new ScheduledCuts(owned, snapshots, names, cuts, cluster);
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

    /** Schedules' cuts of clusters: taking them, finding a complete young one, retention by whole cuts. */
    public ScheduledCuts scheduledCuts() {
        return scheduledCuts;
    }

    CiPlacement placement() {
        return placement;
    }

    @Override
    public Clone createClone(String runId, Source source) throws StorageException {
        return createClone(runId, source, SourceGate.OPEN);
    }

    @Override
    public Clone createClone(String runId, Source source, SourceGate gate) throws StorageException {
        VolumeNames.checkRunId(runId);
        if (source == null) {
            return createEmpty(runId);
        }
        if (source.isLocal()) {
            throw new StorageException(Kind.INVALID_SOURCE, "the Portworx driver copies volumes, but the source is "
                    + source.describe() + ": give the Portworx volume's name, or use the local driver");
        }
        if (source.volume() == null) {
            return createClusterCopy(runId, source, gate);
        }
        Volume src = snapshots.source(source.volume());
        gate.admit(List.of(src.name()));
        owned.protect(src);
        refuseExistingCopy(runId);
        Instant started = clock.instant();
        Duration maxAge = source.maxAge();
        boolean mayReuse = maxAge != null && !maxAge.isZero();
        Optional<Volume> base = mayReuse ? snapshots.youngestBaseCopy(src, maxAge, started) : Optional.empty();
        Optional<Volume> reused = mayReuse && base.isEmpty() ? snapshots.youngestScheduled(src, maxAge, started)
                : Optional.empty();
        String cloneId = null;
        try {
            if (base.isPresent()) {
                // a clone of the base copy gets its spec (volume_ops.go:355): already on the CI tier, nothing to move
                Map<String, String> labels = Labels.cloneOfBase(runId, src, base.get());
                cloneId = cloneOf(base.get(), names.clone(runId), labels);
                Volume clone = owned.adoptClone(cloneId, runId, labels, null, base.get());
                return toClone(clone, describeFromBase(clone, src, base.get(), started));
            }
            Volume snapshot = reused.isPresent() ? reused.get()
                    : snapshots.take(src, names.runSnapshot(runId), Labels.runSnapshot(runId, src));
            Map<String, String> labels = Labels.clone(runId, src, snapshot);
            cloneId = cloneOf(snapshot, names.clone(runId), labels);
            VolumeSpecUpdate tier = placement.specFor(haLevel(snapshot), names.clone(runId));
            Volume clone = owned.adoptClone(cloneId, runId, labels, tier, snapshot);
            return toClone(clone, describe(clone, src, snapshot, reused.isPresent(), started, tier));
        } catch (StorageException | RuntimeException e) {
            cleanUp(runId, cloneId, base.isEmpty() && reused.isEmpty(), e);
            throw e;
        }
    }

    /**
     * A cluster source: every node volume snapshotted as one cut, each snapshot cloned ({@link ClusterCopies}); the
     * task mounts them all into one test node. When the source's {@code maxAge} allows, the newest complete scheduled
     * cut of exactly these volumes young enough is cloned instead ({@link ScheduledCuts#youngestComplete}): the
     * description says which cut, its age and spread, which the run records.
     */
    private Clone createClusterCopy(String runId, Source source, SourceGate gate) throws StorageException {
        List<Volume> nodes = cluster.sources(source);
        gate.admit(nodes.stream().map(Volume::name).toList());
        for (Volume node : nodes) {
            owned.protect(node);
        }
        for (int node = 1; node <= nodes.size(); node++) {
            refuseExistingCopy(runId, names.clone(runId, node));
        }
        Instant started = clock.instant();
        Duration maxAge = source.maxAge();
        Optional<ScheduledCuts.ScheduledCut> reused = maxAge != null && !maxAge.isZero()
                ? scheduledCuts.youngestComplete(nodes, maxAge, started) : Optional.empty();
        try {
            if (reused.isPresent()) {
                ScheduledCuts.ScheduledCut cut = reused.get();
                String how = "reused scheduled cut " + cut.id() + " of schedule '" + cut.schedule() + "', "
                        + cut.how() + ", data taken " + cut.taken() + " ("
                        + human(Duration.between(cut.taken(), started)) + " old when the run started)";
                return cluster.cloneAll(runId, source, nodes, cut.snapshots(), how, cut.taken(), cut.spread());
            }
            return cluster.copy(runId, source, nodes);
        } catch (StorageException | RuntimeException e) {
            cleanUpCluster(runId, e); // a reused cut is the schedule's: only the run's own snapshots are deleted
            throw e;
        }
    }

    /** Every clone of the run (its further nodes' too) and then its snapshots; failures are added to {@code failure}. */
    private void cleanUpCluster(String runId, Exception failure) {
        try {
            for (Volume v : runClones(runId)) {
                owned.deleteClone(v.id(), runId);
            }
        } catch (StorageException | RuntimeException e) {
            failure.addSuppressed(e);
        }
        cleanUp(runId, null, true, failure);
    }

    /** snapci's proven clones of a run, every node's, in node order. */
    private List<Volume> runClones(String runId) throws StorageException {
        List<Volume> clones = new ArrayList<>();
        try {
            for (Messages.InspectResponse r : client.inspectWithFilters(null, Map.of(Labels.CREATED_BY, Labels.SNAPCI,
                    Labels.KIND, Labels.KIND_CLONE, Labels.RUN, runId))) {
                if (owned.whyNotClone(r.volume(), runId) == null) {
                    clones.add(r.volume());
                }
            }
        } catch (SdkException e) {
            throw Failures.of("listing the clones of run " + runId, e);
        }
        clones.sort(java.util.Comparator.comparingInt(Labels::node));
        return clones;
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
            cleanUp(runId, id, false, failure);
            throw failure;
        } catch (StorageException | RuntimeException e) {
            cleanUp(runId, id, false, e);
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
        owned.detachAndDeleteClone(clone.id(), clone.runId());
        if (!clone.furtherVolumeNames().isEmpty()) {
            for (Volume further : runClones(clone.runId())) { // a cluster copy: the further nodes' clones
                owned.detachAndDeleteClone(further.id(), clone.runId());
            }
        }
        for (Volume snap : snapshots.owned(Map.of(Labels.RUN, clone.runId()))) {
            owned.deleteSnapshot(snap.id(), clone.runId()); // kept while a user's clone of it exists; GC retries
        }
    }

    @Override
    public void releaseForAnotherNode(Clone clone) throws StorageException {
        if (clone == null || clone.id() == null || clone.runId() == null) {
            return; // an empty run without a volume
        }
        owned.detach(clone.id(), clone.runId());
        if (!clone.furtherVolumeNames().isEmpty()) {
            for (Volume further : runClones(clone.runId())) {
                owned.detach(further.id(), clone.runId());
            }
        }
    }

    @Override
    public List<Clone> listClones() throws StorageException {
        List<Clone> clones = new ArrayList<>();
        try {
            // every volume labelled snapci's, so that parents are proven from the same answer
            Map<String, Volume> labelled = new java.util.HashMap<>();
            for (Messages.InspectResponse r : client.inspectWithFilters(null, Map.of(Labels.CREATED_BY,
                    Labels.SNAPCI))) {
                labelled.put(r.volume().id(), r.volume());
            }
            // a cluster copy's clones are one copy: node 1's, with the further nodes' in node order
            Map<String, List<Volume>> byRun = new java.util.TreeMap<>();
            for (Volume v : labelled.values()) {
                if (Labels.isKind(v, Labels.KIND_CLONE) && owned.whyNotClone(v, null, labelled, false) == null) {
                    byRun.computeIfAbsent(v.labels().get(Labels.RUN), r -> new ArrayList<>()).add(v);
                }
            }
            for (List<Volume> run : byRun.values()) {
                run.sort(java.util.Comparator.comparingInt(Labels::node));
                Volume v = run.get(0);
                List<String> further = run.subList(1, run.size()).stream().map(Volume::name).toList();
                String of = run.size() == 1 ? v.labels().getOrDefault(Labels.SOURCE_NAME, "nothing (empty volume)")
                        : run.stream().map(c -> c.labels().get(Labels.SOURCE_NAME)).toList().toString();
                clones.add(new Clone(v.id(), v.labels().get(Labels.RUN), v.labels().get(Labels.SOURCE_NAME), null,
                        v.name(), Labels.dataTaken(v), (run.size() > 1 ? run.size() + " clones " : "clone ")
                        + v.describe() + " of " + of, further, null));
            }
        } catch (SdkException e) {
            throw Failures.of("listing snapci's clones", e);
        }
        return clones;
    }

    /**
     * A run's clone name must be free: an existing copy for the run, or anyone's volume of that name (the SDK would
     * answer a same-parent volume of that name as if it were the clone asked for, volume_ops.go:109-150), is a
     * conflict. Looked up by name, not by labels: a user's clone of the run's clone carries its labels too.
     */
    private void refuseExistingCopy(String runId) throws StorageException {
        refuseExistingCopy(runId, names.clone(runId));
    }

    private void refuseExistingCopy(String runId, String name) throws StorageException {
        try {
            for (Messages.InspectResponse r : client.inspectWithFilters(name, null)) {
                Volume v = r.volume();
                if (!name.equals(v.name())) {
                    continue;
                }
                if (owned.whyNotClone(v, runId) == null) {
                    throw new StorageException(Kind.CONFLICT, "a copy for run " + runId + " already exists ("
                            + v.describe() + "): use a new run id, or delete the old copy if nothing uses it any more");
                }
                throw Failures.nameTaken(name, v.describe());
            }
        } catch (SdkException e) {
            throw Failures.of("checking for an existing copy of run " + runId, e);
        }
    }

    /**
     * Clones {@code parent} under the run's name with its labels; a retry after a lost answer gets the same volume
     * back (the SDK answers the existing clone of the same parent, volume_ops.go:109-150).
     */
    private String cloneOf(Volume parent, String name, Map<String, String> labels) throws StorageException {
        try {
            return client.clone(name, parent.id(), Labels.replacing(labels));
        } catch (SdkException e) {
            if (e.isTransient()) {
                Optional<String> made = idOfName(name).filter(id -> owned.findQuietly(id)
                        .map(v -> parent.id().equals(v.parent())).orElse(false));
                if (made.isPresent()) {
                    return made.get();
                }
            }
            throw Failures.of("cloning " + parent.describe() + " to " + name, e);
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
     * Deletes what a failed create made, in order: the clone (looked up by name when its answer was lost; labelled
     * first when it is still unlabelled), then — only once no clone of it is left — the run's own snapshot (looked
     * up by its labels, it may exist although its answer was lost). A failure here is added to the original one;
     * GC finishes the job.
     */
    private void cleanUp(String runId, String cloneId, boolean ownSnapshot, Exception failure) {
        try {
            String id = cloneId != null ? cloneId : idOfName(names.clone(runId)).orElse(null);
            Optional<Volume> clone = id == null ? Optional.empty() : owned.find(id);
            if (clone.isPresent()) {
                if (owned.whyNotClone(clone.get(), runId) != null
                        && owned.whyNotAdoptable(clone.get(), runId) == null) {
                    owned.adoptOrphan(clone.get(), runId);
                }
                if (owned.whyNotClone(owned.find(id).orElse(clone.get()), runId) == null) {
                    owned.deleteClone(id, runId);
                }
            }
        } catch (StorageException | RuntimeException e) {
            failure.addSuppressed(e);
        }
        if (ownSnapshot) {
            try {
                for (Volume snap : snapshots.owned(Map.of(Labels.RUN, runId))) {
                    if (!owned.deleteSnapshot(snap.id(), runId)) {
                        failure.addSuppressed(new StorageException(Kind.INTERNAL, "kept the run's snapshot "
                                + snap.describe() + ": a volume is still made from it; GC deletes it later"));
                    }
                }
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

    private static String describeFromBase(Volume clone, Volume source, Volume base, Instant started) {
        Instant taken = Labels.dataTaken(base);
        Duration age = taken == null ? Duration.ZERO : Duration.between(taken, started);
        return "clone " + clone.describe() + " of CI-tier base copy " + base.describe() + " of volume "
                + source.name() + ", data taken " + taken + " (" + human(age) + " old when the run started; base copy"
                + " '" + base.labels().get(Labels.BASE) + "', already on the CI tier: nothing copied for this run)";
    }

    static String human(Duration d) {
        long s = Math.max(0, d.getSeconds());
        return s < 60 ? s + " s" : s < 3600 ? (s / 60) + " min " + (s % 60) + " s"
                : (s / 3600) + " h " + (s % 3600 / 60) + " min";
    }
}
