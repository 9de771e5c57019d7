package io.snapci.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

/**
 * Where the production data comes from. Exactly one kind is set: a local Cassandra data directory (the embedded
 * default), several local data directories (one per node of a production cluster), or, in a cluster, a storage volume
 * by name, several volumes (one per node), or a label selector naming every volume of the production service.
 *
 * <p>A source of several nodes is copied into one test node that sees every row (docs/architecture.md, "A whole
 * cluster as the source").
 *
 * @param dataDir         a Cassandra data directory on this machine ({@code /var/lib/cassandra} or its {@code data/})
 * @param volume          the name of a storage volume (Portworx) holding the Cassandra data
 * @param maxAge          how old the data may be (volumes only): a scheduled snapshot at most this old is reused
 *                        instead of taking a new one. {@code null} (the default) takes a fresh snapshot for the run.
 * @param dataDirs        the data directories of every node of a cluster on this machine, at least two
 * @param volumes         the volumes of every node of a cluster, at least two
 * @param volumesSelector labels every node volume of the cluster carries, {@code key=value[,key=value...]}
 */
public record Source(String dataDir, String volume, Duration maxAge,
                     @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> dataDirs,
                     @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> volumes,
                     @JsonInclude(JsonInclude.Include.NON_NULL) String volumesSelector) {

    public static Source dataDir(String path) {
        return new Source(path, null, null);
    }

    /** One directory per node of a production cluster (one directory alone is {@link #dataDir(String)}). */
    public static Source dataDirs(List<String> paths) {
        return paths.size() == 1 ? dataDir(paths.get(0)) : new Source(null, null, null, paths, null, null);
    }

    public static Source volume(String name) {
        return new Source(null, name, null);
    }

    /** A volume whose data may be up to {@code maxAge} old (a recent scheduled snapshot is reused). */
    public static Source volume(String name, Duration maxAge) {
        return new Source(null, name, maxAge);
    }

    /** The volumes of every node of a cluster, snapshotted together. */
    public static Source volumes(List<String> names) {
        return names.size() == 1 ? volume(names.get(0)) : new Source(null, null, null, null, names, null);
    }

    /** Every volume carrying these labels ({@code key=value,...}), snapshotted together. */
    public static Source volumesSelector(String selector) {
        return new Source(null, null, null, null, null, selector);
    }

    /** The form before {@code maxAge} existed: always fresh data. */
    public Source(String dataDir, String volume) {
        this(dataDir, volume, null);
    }

    /** The form before clusters: one node. */
    public Source(String dataDir, String volume, Duration maxAge) {
        this(dataDir, volume, maxAge, null, null, null);
    }

    @JsonCreator
    public Source {
        dataDirs = dataDirs == null || dataDirs.isEmpty() ? null : List.copyOf(dataDirs);
        volumes = volumes == null || volumes.isEmpty() ? null : List.copyOf(volumes);
        volumesSelector = volumesSelector == null || volumesSelector.isBlank() ? null : volumesSelector.strip();
        boolean hasDir = dataDir != null && !dataDir.isBlank();
        boolean hasVolume = volume != null && !volume.isBlank();
        int kinds = (hasDir ? 1 : 0) + (hasVolume ? 1 : 0) + (dataDirs != null ? 1 : 0) + (volumes != null ? 1 : 0)
                + (volumesSelector != null ? 1 : 0);
        if (kinds != 1) {
            throw new IllegalArgumentException("source needs exactly one of dataDir, dataDirs, volume, volumes or"
                    + " volumesSelector");
        }
        boolean local = hasDir || dataDirs != null;
        if (maxAge != null && (maxAge.isNegative() || local)) {
            throw new IllegalArgumentException(local
                    ? "maxAge applies to volumes only: a local data directory is always copied as it is now"
                    : "maxAge must not be negative (use 0 or leave it out for a fresh snapshot)");
        }
        checkNodes("dataDirs", dataDirs);
        checkNodes("volumes", volumes);
        if (volumesSelector != null) {
            selectorLabels(volumesSelector);
        }
    }

    private static void checkNodes(String field, List<String> names) {
        if (names == null) {
            return;
        }
        if (names.size() < 2) {
            throw new IllegalArgumentException(field + " names the nodes of a cluster, at least two (one alone is "
                    + (field.equals("dataDirs") ? "dataDir" : "volume") + ")");
        }
        if (names.stream().anyMatch(n -> n == null || n.isBlank())) {
            throw new IllegalArgumentException(field + " must not contain an empty name");
        }
        if (new HashSet<>(names).size() != names.size()) {
            throw new IllegalArgumentException(field + " names a node twice: " + names);
        }
    }

    /** The labels of a selector {@code key=value[,key=value...]}, in order; invalid ones refused with the reason. */
    public static List<String[]> selectorLabels(String selector) {
        List<String[]> labels = new ArrayList<>();
        for (String part : selector.split(",")) {
            int eq = part.indexOf('=');
            if (eq <= 0 || eq == part.length() - 1) {
                throw new IllegalArgumentException("volumesSelector must be key=value[,key=value...], got '"
                        + selector + "'");
            }
            labels.add(new String[]{part.substring(0, eq).strip(), part.substring(eq + 1).strip()});
        }
        return labels;
    }

    /** The local data directories, one per node (one for a single node); empty for volumes. */
    @JsonIgnore
    public List<String> nodeDirs() {
        return dataDir != null ? List.of(dataDir) : dataDirs != null ? dataDirs : List.of();
    }

    /**
     * The directories or volumes the source names, one per node; empty for a selector, whose volumes are known only
     * once the storage resolves it.
     */
    @JsonIgnore
    public List<String> namedNodes() {
        if (isLocal()) {
            return nodeDirs();
        }
        return volume != null ? List.of(volume) : volumes != null ? volumes : List.of();
    }

    /** Whether the source is several nodes of a cluster. */
    @JsonIgnore
    public boolean isCluster() {
        return dataDirs != null || volumes != null || volumesSelector != null;
    }

    /** Whether the source lives on this machine (directories) rather than in volumes. */
    @JsonIgnore
    public boolean isLocal() {
        return dataDir != null || dataDirs != null;
    }

    /** How the source is named to a person. */
    public String describe() {
        String age = maxAge == null ? "" : " (data up to " + maxAge + " old)";
        if (dataDir != null) {
            return dataDir;
        }
        if (dataDirs != null) {
            return dataDirs.size() + " nodes " + String.join(", ", dataDirs);
        }
        if (volumes != null) {
            return volumes.size() + " volumes " + String.join(", ", volumes) + age;
        }
        if (volumesSelector != null) {
            return "volumes labelled " + volumesSelector + age;
        }
        return "volume " + volume + age;
    }
}
