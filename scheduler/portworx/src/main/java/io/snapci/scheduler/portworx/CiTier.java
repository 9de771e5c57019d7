package io.snapci.scheduler.portworx;

import java.util.Map;
import java.util.Set;

/**
 * How clones are placed on the cheaper CI tier. Portworx clones start on the snapshot's nodes with the production
 * volume's spec; snapci then lowers the clone's class of service (Portworx's io priority) and io profile, and, when
 * labels are given, moves its replicas to the storage nodes (and pools) of the CI tier.
 *
 * @param cos        class of service for clones: {@code LOW}, {@code MEDIUM} or {@code HIGH}; null keeps production's
 * @param ioProfile  an OpenStorage {@code IoProfile} name for clones, e.g. {@code IO_PROFILE_SEQUENTIAL}; null keeps it
 * @param nodeLabels labels a storage node must carry to hold a clone's replicas; empty leaves replicas where they are
 * @param poolLabels labels one of that node's pools must carry, e.g. {@code media=hdd}; empty: any pool
 */
public record CiTier(String cos, String ioProfile, Map<String, String> nodeLabels, Map<String, String> poolLabels) {

    private static final Set<String> COS = Set.of("LOW", "MEDIUM", "HIGH");
    private static final Set<String> IO_PROFILES = Set.of("IO_PROFILE_SEQUENTIAL", "IO_PROFILE_RANDOM",
            "IO_PROFILE_DB", "IO_PROFILE_DB_REMOTE", "IO_PROFILE_CMS", "IO_PROFILE_SYNC_SHARED", "IO_PROFILE_AUTO",
            "IO_PROFILE_NONE", "IO_PROFILE_JOURNAL", "IO_PROFILE_AUTO_JOURNAL");

    public CiTier {
        if (cos != null && !COS.contains(cos)) {
            throw new IllegalArgumentException("CI tier cos '" + cos + "' is not a Portworx class of service: use "
                    + "LOW, MEDIUM or HIGH");
        }
        if (ioProfile != null && !IO_PROFILES.contains(ioProfile)) {
            throw new IllegalArgumentException("CI tier io profile '" + ioProfile + "' is not an OpenStorage "
                    + "IoProfile: use one of " + IO_PROFILES);
        }
        nodeLabels = nodeLabels == null ? Map.of() : Map.copyOf(nodeLabels);
        poolLabels = poolLabels == null ? Map.of() : Map.copyOf(poolLabels);
        if (nodeLabels.isEmpty() && !poolLabels.isEmpty()) {
            throw new IllegalArgumentException("CI tier pool labels need node labels too (replicas are placed by"
                    + " node): give the labels of the CI nodes as well");
        }
    }

    /** Low io priority, sequential profile, replicas left where Portworx puts them. */
    public static CiTier defaults() {
        return new CiTier("LOW", null, Map.of(), Map.of());
    }

    public boolean placesReplicas() {
        return !nodeLabels.isEmpty();
    }
}
