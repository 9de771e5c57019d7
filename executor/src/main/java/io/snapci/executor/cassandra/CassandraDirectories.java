package io.snapci.executor.cassandra;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The directories a node writes to, all under one root: the layout of a snapci copy.
 * The marker file proves the root is a copy snapci made, never a source: the executor refuses to boot without it.
 */
public record CassandraDirectories(Path root, Path data, Path commitlog, Path hints, Path savedCaches, Path cdcRaw) {

    public static final String CLONE_MARKER = "snapci-clone.json";

    /**
     * What a further node of a cluster leaves out of a merged copy: its node-local keyspace (identity, peers, local
     * state) and its second copy of the one schema. The local driver does not copy them; a cluster's node task
     * removes them from the further nodes' clones ({@link ClusterCopyLayout}).
     */
    public static final java.util.Set<String> FURTHER_NODE_SKIPS = java.util.Set.of("system", "system_schema");

    /** The data directory of the n-th node (from 2) in a merged copy, beside {@link #data()}. */
    public static String furtherDataDir(int n) {
        return "data-" + n;
    }

    /** A further node's data in a merged copy of a cluster: {@code data-2}, {@code data-3}, ... */
    private static final Pattern FURTHER_DATA = Pattern.compile("data-(\\d{1,4})");

    public static CassandraDirectories under(Path root) {
        Path r = root.toAbsolutePath().normalize();
        return new CassandraDirectories(r, r.resolve("data"), r.resolve("commitlog"), r.resolve("hints"),
                r.resolve("saved_caches"), r.resolve("cdc_raw"));
    }

    public boolean isSnapciCopy() {
        return Files.isRegularFile(root.resolve(CLONE_MARKER));
    }

    /**
     * Every data directory of the node: {@link #data()} first (its system keyspace and schema), then those of the
     * further nodes of a merged copy of a cluster ({@code data-<n>} beside it, in node order), listed now.
     */
    public List<Path> dataDirectories() {
        List<Path> all = new ArrayList<>(List.of(data));
        if (!Files.isDirectory(root)) {
            return all;
        }
        try (Stream<Path> children = Files.list(root)) {
            children.filter(Files::isDirectory)
                    .map(p -> FURTHER_DATA.matcher(p.getFileName().toString()))
                    .filter(Matcher::matches)
                    .sorted(Comparator.comparingInt(m -> Integer.parseInt(m.group(1))))
                    .forEach(m -> all.add(root.resolve(m.group(0))));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot list " + root, e);
        }
        return all;
    }

    public void createMissing() throws IOException {
        for (Path dir : new Path[]{data, commitlog, hints, savedCaches, cdcRaw}) {
            Files.createDirectories(dir);
        }
    }
}
