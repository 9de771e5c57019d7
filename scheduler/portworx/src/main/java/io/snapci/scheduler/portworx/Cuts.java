package io.snapci.scheduler.portworx;

import io.snapci.scheduler.core.storage.StorageException;
import io.snapci.scheduler.core.storage.StorageException.Kind;
import io.snapci.scheduler.portworx.sdk.Messages;
import io.snapci.scheduler.portworx.sdk.OpenStorageClient;
import io.snapci.scheduler.portworx.sdk.SdkException;
import io.snapci.scheduler.portworx.sdk.Volume;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Takes one consistent cut of a cluster's node volumes, for a run or for a schedule's tick ({@link Plan}): OpenStorage's
 * group snapshot ({@link OpenStorageClient#snapshotGroup}) where the server has it, every node's snapshot at one
 * moment; where it does not (404: the API is not served there; "Operation not supported": the driver has none), one
 * snapshot after the other, and the spread — from the first snapshot to the last — is part of the result.
 *
 * <p>Crash window: the group request carries the plan's labels (created-by, kind, the run or schedule, the group id),
 * which the server gives every snapshot it makes (GroupSnapCreateRequest.Labels, api.proto:1564), so the snapshots
 * are marked in the same call that makes them; only their source and node labels are added after. A retry (the same
 * run, the same tick) finds them by those labels and finishes the labelling; a run's group snapshots left by a crash
 * before that are labelled and deleted by {@link PortworxGarbageCollector}. A server that ignores the request's
 * labels is handled as well as it can be: the snapshots its answer names are labelled at once, but a crash between
 * that answer and the labelling leaves them unmarked, and nothing then proves them snapci's (docs/sources.md).
 */
final class Cuts {

    /**
     * What one cut is called and labelled.
     *
     * @param group       the group id (GroupSnapCreateRequest.id), which every snapshot of the cut carries
     * @param groupLabels the labels of the group request, one map for every snapshot
     * @param nodeLabels  a group snapshot's full labels once its source (node) is known
     * @param soloNames   a node's snapshot's name when taken one after the other
     * @param soloLabels  its labels then
     */
    record Plan(String group, Map<String, String> groupLabels, NodeLabels nodeLabels, NodeName soloNames,
                NodeLabels soloLabels) {
    }

    @FunctionalInterface
    interface NodeLabels {
        Map<String, String> of(Volume source, int node);
    }

    @FunctionalInterface
    interface NodeName {
        String of(int node);
    }

    /** The snapshots of a cut, in node order, and how they were taken. */
    record Cut(List<Volume> snapshots, boolean group, Duration spread) {
        String describe() {
            return group ? "one group snapshot (every node at the same moment)"
                    : snapshots.size() + " snapshots one after the other (the server has no group snapshot), spread "
                    + spread.toMillis() + " ms from the first to the last";
        }
    }

    private final OpenStorageClient client;
    private final OwnedVolumes owned;
    private final Snapshots snapshots;
    private final Clock clock;

    Cuts(OpenStorageClient client, OwnedVolumes owned, Snapshots snapshots, Clock clock) {
        this.client = client;
        this.owned = owned;
        this.snapshots = snapshots;
        this.clock = clock;
    }

    Cut take(Plan plan, List<Volume> nodes) throws StorageException {
        Map<String, Volume> existing = groupSnapshots(plan, nodes);
        if (existing.size() == nodes.size()) {
            return labelled(plan, nodes, existing, false); // a retry after a lost answer, or a crash
        }
        Map<String, String> made;
        try {
            made = client.snapshotGroup(plan.group(), plan.groupLabels(), nodes.stream().map(Volume::id).toList());
        } catch (SdkException e) {
            if (!unsupported(e)) {
                Map<String, Volume> afterLoss = groupSnapshots(plan, nodes);
                if (afterLoss.size() == nodes.size()) {
                    return labelled(plan, nodes, afterLoss, false);
                }
                throw Failures.of("taking a group snapshot of " + nodes.stream().map(Volume::name).toList(), e);
            }
            return sequential(plan, nodes);
        }
        Map<String, Volume> byVolume = new HashMap<>();
        for (Volume node : nodes) {
            String id = made.get(node.id());
            if (id == null) {
                throw new StorageException(Kind.INTERNAL, "the group snapshot " + plan.group() + " has no snapshot of "
                        + node.describe() + "; run the job again");
            }
            byVolume.put(node.id(), owned.find(id).orElseThrow(() -> new StorageException(Kind.INTERNAL,
                    "snapshot " + id + " of the group " + plan.group() + " vanished right after it was taken")));
        }
        return labelled(plan, nodes, byVolume, true);
    }

    private Cut labelled(Plan plan, List<Volume> nodes, Map<String, Volume> byVolume, boolean answered)
            throws StorageException {
        List<Volume> out = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            Volume source = nodes.get(i);
            out.add(owned.labelGroupSnapshot(byVolume.get(source.id()).id(), plan.group(), plan.groupLabels(),
                    plan.nodeLabels().of(source, i + 1), source, answered));
        }
        return new Cut(out, true, Duration.ZERO);
    }

    /** Without a group snapshot: each node's own, as quickly after the other as the server answers. */
    private Cut sequential(Plan plan, List<Volume> nodes) throws StorageException {
        List<Volume> out = new ArrayList<>();
        Instant first = null;
        Instant last = null;
        for (int i = 0; i < nodes.size(); i++) {
            int node = i + 1;
            out.add(snapshots.take(nodes.get(i), plan.soloNames().of(node), plan.soloLabels().of(nodes.get(i), node)));
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
        String message = e.portworxMessage() == null ? "" : e.portworxMessage().toLowerCase(Locale.ROOT);
        return e.httpStatus() == 404 && !e.isStatus() || e.httpStatus() == 405
                || e.httpStatus() == 400 && message.contains("not supported")
                || e.httpStatus() == 501;
    }

    /** The cut's group snapshots already there (carrying the group request's labels), by the volume each is of. */
    private Map<String, Volume> groupSnapshots(Plan plan, List<Volume> nodes) throws StorageException {
        Map<String, Volume> found = new HashMap<>();
        List<String> ids = nodes.stream().map(Volume::id).toList();
        try {
            for (Messages.InspectResponse r : client.inspectWithFilters(null, plan.groupLabels())) {
                Volume v = r.volume();
                if (v.readonly() && ids.contains(v.parent())) {
                    found.putIfAbsent(v.parent(), v);
                }
            }
        } catch (SdkException e) {
            throw Failures.of("looking for the group snapshot " + plan.group(), e);
        }
        return found;
    }
}
