package io.snapci.executor.cassandra;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The directories a node writes to, all under one root: the layout of a snapci copy.
 * The marker file proves the root is a copy snapci made, never a source: the executor refuses to boot without it.
 */
public record CassandraDirectories(Path root, Path data, Path commitlog, Path hints, Path savedCaches, Path cdcRaw) {

    public static final String CLONE_MARKER = "snapci-clone.json";

    public static CassandraDirectories under(Path root) {
        Path r = root.toAbsolutePath().normalize();
        return new CassandraDirectories(r, r.resolve("data"), r.resolve("commitlog"), r.resolve("hints"),
                r.resolve("saved_caches"), r.resolve("cdc_raw"));
    }

    public boolean isSnapciCopy() {
        return Files.isRegularFile(root.resolve(CLONE_MARKER));
    }

    public void createMissing() throws IOException {
        for (Path dir : new Path[]{data, commitlog, hints, savedCaches, cdcRaw}) {
            Files.createDirectories(dir);
        }
    }
}
