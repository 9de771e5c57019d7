package io.snapci.scheduler.core.storage;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A writable copy made for one run.
 *
 * @param id          the driver's id for the copy (a directory path locally, a volume id in a cluster: of the first
 *                    node's volume when the source is a cluster)
 * @param runId       the run it was made for
 * @param source      what it was copied from, for people; {@code null} for an empty copy
 * @param path        where it is on this machine (local driver), or {@code null}
 * @param volumeName  the volume name a container mounts (cluster drivers), or {@code null}; for a cluster of
 *                    volumes, the first node's (its system keyspace and schema boot the test node)
 * @param dataTakenAt when the data in the copy was taken from the source
 * @param description how it was made, e.g. "linked 274 files, copied 3 (1.2 MB) in 11 ms"
 * @param furtherVolumeNames the volumes of nodes 2..N of a cluster copied into one test node, in node order (empty
 *                    for one node and locally, where they are directories inside {@code path})
 * @param snapshotSpreadMillis for a cluster of volumes: from the first node's snapshot to the last (0: one group
 *                    snapshot); null otherwise
 */
public record Clone(String id, String runId, String source, String path, String volumeName, Instant dataTakenAt,
                    String description, List<String> furtherVolumeNames, Long snapshotSpreadMillis) {

    public Clone {
        furtherVolumeNames = furtherVolumeNames == null ? List.of() : List.copyOf(furtherVolumeNames);
    }

    /** A copy of one node (or a local copy of several, all under {@code path}). */
    public Clone(String id, String runId, String source, String path, String volumeName, Instant dataTakenAt,
                 String description) {
        this(id, runId, source, path, volumeName, dataTakenAt, description, List.of(), null);
    }

    /** Every volume the test node mounts: the first node's, then the further nodes'. */
    public List<String> volumeNames() {
        List<String> all = new ArrayList<>();
        if (volumeName != null) {
            all.add(volumeName);
        }
        all.addAll(furtherVolumeNames);
        return all;
    }
}
