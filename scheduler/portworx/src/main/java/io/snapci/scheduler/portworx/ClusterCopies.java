package io.snapci.scheduler.portworx;

import io.snapci.model.Source;
import io.snapci.scheduler.core.storage.Clone;
import io.snapci.scheduler.core.storage.StorageException;
import io.snapci.scheduler.core.storage.StorageException.Kind;
import io.snapci.scheduler.portworx.sdk.Messages;
import io.snapci.scheduler.portworx.sdk.OpenStorageClient;
import io.snapci.scheduler.portworx.sdk.SdkException;
import io.snapci.scheduler.portworx.sdk.Volume;
import io.snapci.scheduler.portworx.sdk.VolumeSpecUpdate;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The copy of a cluster source (one volume per node) for one run: the node volumes snapshotted as one cut, then a
 * clone of each snapshot, the first node's being the run's clone ({@code snapci-<run>}) and node n's
 * {@code snapci-<run>-node-<n>}, labelled with its node ({@link Labels#NODE}).
 *
 * <p>The cut: OpenStorage's group snapshot ({@link OpenStorageClient#snapshotGroup}) where the server has it: every
 * node's snapshot at one moment. Where it does not (404: the API is not served there; "Operation not supported": the
 * driver has none), one snapshot after the other, and the spread — the time from the first snapshot to the last —
 * goes into the copy's description, which the run records: a write acknowledged at QUORUM before the first snapshot
 * is in the copy; one acknowledged during the spread may be on some nodes' snapshots only (docs/sources.md).
 */
final class ClusterCopies {

    private final OpenStorageClient client;
    private final OwnedVolumes owned;
    private final Snapshots snapshots;
    private final CiPlacement placement;
    private final VolumeNames names;
    private final Cuts cuts;
    private final Clock clock;

    ClusterCopies(OpenStorageClient client, OwnedVolumes owned, Snapshots snapshots, CiPlacement placement,
                  VolumeNames names, Cuts cuts, Clock clock) {
        this.client = client;
        this.owned = owned;
        this.snapshots = snapshots;
        this.placement = placement;
        this.names = names;
        this.cuts = cuts;
        this.clock = clock;
    }

    /** The source's node volumes, in node order: as named, or a selector's matches by name. */
    List<Volume> sources(Source source) throws StorageException {
        List<Volume> nodes = new ArrayList<>();
        if (source.volumes() != null) {
            for (String name : source.volumes()) {
                nodes.add(snapshots.source(name));
            }
        } else {
            Map<String, String> labels = new java.util.LinkedHashMap<>();
            for (String[] kv : Source.selectorLabels(source.volumesSelector())) {
                labels.put(kv[0], kv[1]);
            }
            try {
                for (Messages.InspectResponse r : client.inspectWithFilters(null, labels)) {
                    Volume v = r.volume();
                    if (!v.readonly() && !Labels.isSnapci(v)) {
                        nodes.add(v);
                    }
                }
            } catch (SdkException e) {
                throw Failures.of("listing the volumes " + source.volumesSelector() + " selects", e);
            }
            nodes.sort(Comparator.comparing(Volume::name));
            if (nodes.size() < 2) {
                throw new StorageException(Kind.SOURCE_NOT_FOUND, "the selector " + source.volumesSelector()
                        + " selects " + nodes.size() + " production volume(s), a cluster has at least two: check the"
                        + " labels with pxctl volume list --label " + source.volumesSelector());
            }
        }
        return nodes;
    }

    /** The cut and the clones; on failure, what this call made is deleted by the caller ({@code cleanUp}). */
    Clone copy(String runId, Source source, List<Volume> nodes) throws StorageException {
        Instant started = clock.instant();
        Cuts.Cut cut = cuts.take(runPlan(runId), nodes);
        Instant taken = cut.snapshots().stream().map(Volume::ctime).filter(java.util.Objects::nonNull)
                .min(Comparator.naturalOrder()).orElse(started);
        return cloneAll(runId, source, nodes, cut.snapshots(), cut.describe(), taken, cut.spread());
    }

    /**
     * A clone of each node's snapshot of a cut (the run's own, or a schedule's reused), the first node's being the
     * run's clone; {@code how} says which cut, for the run record.
     */
    Clone cloneAll(String runId, Source source, List<Volume> nodes, List<Volume> cut, String how, Instant taken,
                   Duration spread) throws StorageException {
        List<Volume> clones = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            int node = i + 1;
            Volume snapshot = cut.get(i);
            Map<String, String> labels = Labels.clone(runId, nodes.get(i), snapshot, node);
            String name = names.clone(runId, node);
            String id;
            try {
                id = client.clone(name, snapshot.id(), Labels.replacing(labels));
            } catch (SdkException e) {
                throw Failures.of("cloning " + snapshot.describe() + " to " + name, e);
            }
            VolumeSpecUpdate tier = placement.specFor(haLevel(snapshot), name);
            clones.add(owned.adoptClone(id, runId, labels, tier, snapshot));
        }
        String description = nodes.size() + " nodes into one: " + how + "; clones "
                + clones.stream().map(Volume::describe).toList() + " of volumes "
                + nodes.stream().map(Volume::name).toList() + ", data taken " + taken;
        Volume first = clones.get(0);
        List<String> further = clones.subList(1, clones.size()).stream().map(Volume::name).toList();
        return new Clone(first.id(), runId, source.describe(), null, first.name(), taken, description, further,
                spread.toMillis());
    }

    /** A run's own cut: group id {@code snapci-<run>-group}; taken one by one, {@code snapci-<run>[-node-<n>]-snap}. */
    Cuts.Plan runPlan(String runId) {
        String group = names.group(runId);
        return new Cuts.Plan(group, Labels.groupSnapshot(runId, group),
                (source, node) -> Labels.groupSnapshot(runId, group, source, node),
                node -> names.runSnapshot(runId, node), (source, node) -> Labels.runSnapshot(runId, source, node));
    }

    private static long haLevel(Volume snapshot) {
        return snapshot.spec() == null || snapshot.spec().haLevel() == null ? 1 : snapshot.spec().haLevel();
    }
}
