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
    private final Clock clock;

    ClusterCopies(OpenStorageClient client, OwnedVolumes owned, Snapshots snapshots, CiPlacement placement,
                  VolumeNames names, Clock clock) {
        this.client = client;
        this.owned = owned;
        this.snapshots = snapshots;
        this.placement = placement;
        this.names = names;
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
        Cut cut = snapshotAll(runId, nodes);
        List<Volume> clones = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            int node = i + 1;
            Volume snapshot = cut.snapshots.get(i);
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
        Instant taken = cut.snapshots.stream().map(Volume::ctime).filter(java.util.Objects::nonNull)
                .min(Comparator.naturalOrder()).orElse(started);
        String description = nodes.size() + " nodes into one: " + cut.describe() + "; clones "
                + clones.stream().map(Volume::describe).toList() + " of volumes "
                + nodes.stream().map(Volume::name).toList() + ", data taken " + taken;
        Volume first = clones.get(0);
        List<String> further = clones.subList(1, clones.size()).stream().map(Volume::name).toList();
        return new Clone(first.id(), runId, source.describe(), null, first.name(), taken, description, further,
                cut.spread.toMillis());
    }

    /** The snapshots of a cut, in node order, and how they were taken. */
    record Cut(List<Volume> snapshots, boolean group, Duration spread) {
        String describe() {
            return group ? "one group snapshot (every node at the same moment)"
                    : snapshots.size() + " snapshots one after the other (the server has no group snapshot), spread "
                    + spread.toMillis() + " ms from the first to the last";
        }
    }

    Cut snapshotAll(String runId, List<Volume> nodes) throws StorageException {
        String group = names.group(runId);
        Map<String, Volume> existing = groupSnapshots(runId, group, nodes);
        if (existing.size() == nodes.size()) {
            return labelled(runId, group, nodes, existing); // a retry after a lost answer, or a crash
        }
        Map<String, String> made;
        try {
            made = client.snapshotGroup(group, Labels.groupSnapshot(runId, group),
                    nodes.stream().map(Volume::id).toList());
        } catch (SdkException e) {
            if (!unsupported(e)) {
                Map<String, Volume> afterLoss = groupSnapshots(runId, group, nodes);
                if (afterLoss.size() == nodes.size()) {
                    return labelled(runId, group, nodes, afterLoss);
                }
                throw Failures.of("taking a group snapshot of " + nodes.stream().map(Volume::name).toList(), e);
            }
            return sequential(runId, nodes);
        }
        Map<String, Volume> byVolume = new HashMap<>();
        for (Volume node : nodes) {
            String id = made.get(node.id());
            if (id == null) {
                throw new StorageException(Kind.INTERNAL, "the group snapshot " + group + " has no snapshot of "
                        + node.describe() + "; run the job again");
            }
            byVolume.put(node.id(), owned.find(id).orElseThrow(() -> new StorageException(Kind.INTERNAL,
                    "snapshot " + id + " of the group " + group + " vanished right after it was taken")));
        }
        return labelled(runId, group, nodes, byVolume);
    }

    private Cut labelled(String runId, String group, List<Volume> nodes, Map<String, Volume> byVolume)
            throws StorageException {
        List<Volume> out = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            out.add(owned.labelGroupSnapshot(byVolume.get(nodes.get(i).id()).id(), runId, group, nodes.get(i), i + 1));
        }
        return new Cut(out, true, Duration.ZERO);
    }

    /** Without a group snapshot: each node's own, as quickly after the other as the server answers. */
    private Cut sequential(String runId, List<Volume> nodes) throws StorageException {
        List<Volume> out = new ArrayList<>();
        Instant first = null;
        Instant last = null;
        for (int i = 0; i < nodes.size(); i++) {
            int node = i + 1;
            out.add(snapshots.take(nodes.get(i), names.runSnapshot(runId, node),
                    Labels.runSnapshot(runId, nodes.get(i), node)));
            Instant now = clock.instant();
            first = first == null ? now : first;
            last = now;
        }
        return new Cut(out, false, Duration.between(first, last));
    }

    /**
     * The server has no group snapshot: the gateway's router does not know the path (plain 404), or the driver
     * answers volume.ErrNotSupported ("Operation not supported", volume/volume.go:41) through snapGroup's 400
     * (api/server/volume.go:1682-1686).
     */
    static boolean unsupported(SdkException e) {
        String message = e.portworxMessage() == null ? "" : e.portworxMessage().toLowerCase(java.util.Locale.ROOT);
        return e.httpStatus() == 404 && !e.isStatus() || e.httpStatus() == 405
                || e.httpStatus() == 400 && message.contains("not supported")
                || e.httpStatus() == 501;
    }

    /** The run's group snapshots already there (labelled with its group), by the volume each is of. */
    private Map<String, Volume> groupSnapshots(String runId, String group, List<Volume> nodes)
            throws StorageException {
        Map<String, Volume> found = new HashMap<>();
        List<String> ids = nodes.stream().map(Volume::id).toList();
        try {
            for (Messages.InspectResponse r : client.inspectWithFilters(null, Labels.groupSnapshot(runId, group))) {
                Volume v = r.volume();
                if (v.readonly() && ids.contains(v.parent())) {
                    found.putIfAbsent(v.parent(), v);
                }
            }
        } catch (SdkException e) {
            throw Failures.of("looking for the group snapshot " + group, e);
        }
        return found;
    }

    private static long haLevel(Volume snapshot) {
        return snapshot.spec() == null || snapshot.spec().haLevel() == null ? 1 : snapshot.spec().haLevel();
    }
}
