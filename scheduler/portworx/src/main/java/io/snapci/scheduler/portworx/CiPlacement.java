package io.snapci.scheduler.portworx;

import io.snapci.scheduler.core.storage.StorageException;
import io.snapci.scheduler.core.storage.StorageException.Kind;
import io.snapci.scheduler.portworx.sdk.OpenStorageClient;
import io.snapci.scheduler.portworx.sdk.ReplicaSet;
import io.snapci.scheduler.portworx.sdk.SdkException;
import io.snapci.scheduler.portworx.sdk.StorageNode;
import io.snapci.scheduler.portworx.sdk.VolumeSpecUpdate;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The spec update that puts a clone on the CI tier: lower class of service and io profile, and replicas on the
 * nodes whose labels (and a pool's labels) match the tier. The node list is read with node enumerate + inspect and
 * kept for a minute, so that a burst of runs does not inspect every node each time.
 */
final class CiPlacement {

    private static final Duration NODE_CACHE = Duration.ofMinutes(1);

    private final OpenStorageClient client;
    private final CiTier tier;
    private final Clock clock;
    private List<String> ciNodes;
    private Instant readAt;

    CiPlacement(OpenStorageClient client, CiTier tier, Clock clock) {
        this.client = client;
        this.tier = tier;
        this.clock = clock;
    }

    /** The update for a clone with {@code haLevel} replicas; {@code spreadKey} spreads clones over the CI nodes. */
    VolumeSpecUpdate specFor(long haLevel, String spreadKey) throws StorageException {
        ReplicaSet replicas = null;
        if (tier.placesReplicas()) {
            List<String> nodes = ciNodes();
            int count = (int) Math.max(1, Math.min(haLevel, nodes.size()));
            int start = Math.floorMod(spreadKey.hashCode(), nodes.size());
            List<String> chosen = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                chosen.add(nodes.get((start + i) % nodes.size()));
            }
            replicas = new ReplicaSet(chosen);
        }
        return new VolumeSpecUpdate(tier.cos(), tier.ioProfile(), replicas);
    }

    /** "cos LOW, io profile IO_PROFILE_SEQUENTIAL, replicas on ci-1,ci-2", for the run's record. */
    static String describe(VolumeSpecUpdate spec) {
        List<String> parts = new ArrayList<>();
        if (spec.cos() != null) {
            parts.add("cos " + spec.cos());
        }
        if (spec.ioProfile() != null) {
            parts.add("io profile " + spec.ioProfile());
        }
        if (spec.replicaSet() != null) {
            parts.add("replicas on " + String.join(",", spec.replicaSet().nodes()));
        }
        return parts.isEmpty() ? "production's spec" : String.join(", ", parts);
    }

    private synchronized List<String> ciNodes() throws StorageException {
        Instant now = clock.instant();
        if (ciNodes != null && readAt != null && now.isBefore(readAt.plus(NODE_CACHE))) {
            return ciNodes;
        }
        List<String> matching = new ArrayList<>();
        try {
            for (String id : client.nodeEnumerate()) {
                StorageNode node = client.nodeInspect(id);
                if (contains(node.labels(), tier.nodeLabels()) && (tier.poolLabels().isEmpty()
                        || node.poolList().stream().anyMatch(p -> contains(p.labelMap(), tier.poolLabels())))) {
                    matching.add(node.id());
                }
            }
        } catch (SdkException e) {
            throw Failures.of("finding the CI tier's storage nodes", e);
        }
        if (matching.isEmpty()) {
            throw new StorageException(Kind.REFUSED, "no Portworx storage node carries the CI tier's labels "
                    + tier.nodeLabels() + (tier.poolLabels().isEmpty() ? "" : " with a pool labelled "
                    + tier.poolLabels()) + ": label the CI nodes (pxctl service node-label) or change the tier");
        }
        matching.sort(null);
        ciNodes = List.copyOf(matching);
        readAt = now;
        return ciNodes;
    }

    private static boolean contains(Map<String, String> labels, Map<String, String> wanted) {
        return wanted.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
    }
}
