package io.snapci.model;

/**
 * Where the production data comes from. Exactly one kind is set: a local Cassandra data directory (the embedded
 * default) or, in a cluster, a storage volume by name.
 *
 * @param dataDir a Cassandra data directory on this machine ({@code /var/lib/cassandra} or its {@code data/})
 * @param volume  the name of a storage volume (Portworx) holding the Cassandra data
 */
public record Source(String dataDir, String volume) {

    public static Source dataDir(String path) {
        return new Source(path, null);
    }

    public static Source volume(String name) {
        return new Source(null, name);
    }

    public Source {
        boolean hasDir = dataDir != null && !dataDir.isBlank();
        boolean hasVolume = volume != null && !volume.isBlank();
        if (hasDir == hasVolume) {
            throw new IllegalArgumentException("source needs exactly one of dataDir or volume");
        }
    }

    /** How the source is named to a person. */
    public String describe() {
        return dataDir != null ? dataDir : "volume " + volume;
    }
}
