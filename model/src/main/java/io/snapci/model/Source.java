package io.snapci.model;

import com.fasterxml.jackson.annotation.JsonCreator;

import java.time.Duration;

/**
 * Where the production data comes from. Exactly one kind is set: a local Cassandra data directory (the embedded
 * default) or, in a cluster, a storage volume by name.
 *
 * @param dataDir a Cassandra data directory on this machine ({@code /var/lib/cassandra} or its {@code data/})
 * @param volume  the name of a storage volume (Portworx) holding the Cassandra data
 * @param maxAge  how old the data may be (volumes only): a scheduled snapshot at most this old is reused instead of
 *                taking a new one. {@code null} (the default) takes a fresh snapshot for the run.
 */
public record Source(String dataDir, String volume, Duration maxAge) {

    public static Source dataDir(String path) {
        return new Source(path, null, null);
    }

    public static Source volume(String name) {
        return new Source(null, name, null);
    }

    /** A volume whose data may be up to {@code maxAge} old (a recent scheduled snapshot is reused). */
    public static Source volume(String name, Duration maxAge) {
        return new Source(null, name, maxAge);
    }

    /** The form before {@code maxAge} existed: always fresh data. */
    public Source(String dataDir, String volume) {
        this(dataDir, volume, null);
    }

    @JsonCreator
    public Source {
        boolean hasDir = dataDir != null && !dataDir.isBlank();
        boolean hasVolume = volume != null && !volume.isBlank();
        if (hasDir == hasVolume) {
            throw new IllegalArgumentException("source needs exactly one of dataDir or volume");
        }
        if (maxAge != null && (maxAge.isNegative() || hasDir)) {
            throw new IllegalArgumentException(hasDir
                    ? "maxAge applies to volumes only: a local data directory is always copied as it is now"
                    : "maxAge must not be negative (use 0 or leave it out for a fresh snapshot)");
        }
    }

    /** How the source is named to a person. */
    public String describe() {
        return dataDir != null ? dataDir : "volume " + volume + (maxAge == null ? "" : " (data up to " + maxAge + " old)");
    }
}
