package io.snapci.tests.portworx;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A volume the peer keeps: production volumes, snapshots (read-only, {@code parent} = their volume) and clones
 * (writable, {@code parent} = the snapshot). Mutable, guarded by the peer's lock.
 */
final class PeerVolume {
    final String id;
    final String name;
    final String parent;
    final boolean readonly;
    final Instant ctime;
    final Map<String, String> labels = new LinkedHashMap<>();
    long size;
    long haLevel;
    String cos;
    String ioProfile;
    List<String> replicaNodes;
    /** Where the volume's bytes are, when the peer keeps data ({@link PeerVolumeData}); null otherwise. */
    java.nio.file.Path data;
    /** The storage node the volume is attached on (mounted by a container there), or null. */
    String attachedOn;

    PeerVolume(String id, String name, String parent, boolean readonly, Instant ctime) {
        this.id = id;
        this.name = name;
        this.parent = parent;
        this.readonly = readonly;
        this.ctime = ctime;
    }

    /** A copy of the spec from another volume, as a snapshot or clone gets its parent's. */
    void copySpecFrom(PeerVolume other) {
        size = other.size;
        haLevel = other.haLevel;
        cos = other.cos;
        ioProfile = other.ioProfile;
        replicaNodes = other.replicaNodes;
    }

    /** Everything a caller could change, to compare before and after. */
    String state() {
        return "id=" + id + " name=" + name + " parent=" + parent + " readonly=" + readonly + " labels=" + labels
                + " size=" + size + " ha=" + haLevel + " cos=" + cos + " io=" + ioProfile + " replicas=" + replicaNodes;
    }
}
