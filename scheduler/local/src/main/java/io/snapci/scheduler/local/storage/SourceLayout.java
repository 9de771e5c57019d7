package io.snapci.scheduler.local.storage;

import io.snapci.scheduler.core.storage.StorageException;
import io.snapci.scheduler.core.storage.StorageException.Kind;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Where the parts of a source node are. A source is either a Cassandra home ({@code /var/lib/cassandra}: a
 * {@code data/} directory of keyspaces, plus optional {@code commitlog/}, {@code hints/}, {@code saved_caches/}) or a
 * data directory itself (keyspace directories such as {@code system/}, each holding table directories
 * {@code <table>-<32 hex id>}). Finding out only reads directory listings.
 *
 * @param root        the source as given, with symlinks resolved
 * @param data        the data directory (keyspaces)
 * @param commitlog   the commit log directory, or {@code null}
 * @param hints       the hints directory, or {@code null}
 * @param savedCaches the saved caches directory, or {@code null}
 * @param ignored     entries of a Cassandra home that are not part of a node's data (e.g. {@code cdc_raw/}, logs)
 */
record SourceLayout(Path root, Path data, Path commitlog, Path hints, Path savedCaches, List<Path> ignored) {

    private static final String EXPECTED = "expected a Cassandra data directory (keyspace directories such as system/"
            + " and system_schema/, holding table directories named <table>-<32 hex id>) or a Cassandra home"
            + " (like /var/lib/cassandra) with such a data/ subdirectory";

    static SourceLayout of(String given) throws StorageException {
        Path path = Path.of(given).toAbsolutePath().normalize();
        if (!Files.exists(path)) {
            throw new StorageException(Kind.SOURCE_NOT_FOUND, "source " + path + " does not exist: pass the Cassandra"
                    + " data directory of this machine (e.g. /var/lib/cassandra or /var/lib/cassandra/data)");
        }
        try {
            Path root = path.toRealPath();
            if (!Files.isDirectory(root)) {
                throw invalid(root + " is a file, not a directory: " + EXPECTED);
            }
            List<Path> children = children(root);
            if (children.isEmpty()) {
                throw invalid(root + " is empty: " + EXPECTED + "; is Cassandra's data elsewhere (see"
                        + " data_file_directories in cassandra.yaml)?");
            }
            Path data = root.resolve("data");
            if (Files.isDirectory(data) && isDataDirectory(data)) {
                List<Path> ignored = children.stream()
                        .filter(c -> !List.of("data", "commitlog", "hints", "saved_caches")
                                .contains(c.getFileName().toString()))
                        .toList();
                return new SourceLayout(root, data.toRealPath(), dirOrNull(root.resolve("commitlog")),
                        dirOrNull(root.resolve("hints")), dirOrNull(root.resolve("saved_caches")), ignored);
            }
            if (isDataDirectory(root)) {
                return new SourceLayout(root, root, null, null, null, List.of());
            }
            if (Files.isDirectory(data)) {
                throw invalid(root + " looks like a Cassandra home but its data/ is not a Cassandra data directory: "
                        + EXPECTED + "; data/ holds " + names(children(data)));
            }
            throw invalid(root + " is not a Cassandra data directory: " + EXPECTED + "; found " + names(children));
        } catch (AccessDeniedException e) {
            throw new StorageException(Kind.PERMISSION_DENIED, "cannot read the source " + path + " (" + e.getFile()
                    + "): run snapci as a user that can read Cassandra's data (e.g. the cassandra user or group)", e);
        } catch (IOException e) {
            throw new StorageException(Kind.INVALID_SOURCE, "cannot read the source " + path + ": " + e, e);
        }
    }

    /** Has a {@code system} or {@code system_schema} keyspace, and some keyspace has a table directory. */
    static boolean isDataDirectory(Path dir) throws IOException {
        if (!Files.isDirectory(dir.resolve("system")) && !Files.isDirectory(dir.resolve("system_schema"))) {
            return false;
        }
        for (Path keyspace : children(dir)) {
            if (Files.isDirectory(keyspace)) {
                for (Path table : children(keyspace)) {
                    if (Files.isDirectory(table)
                            && CassandraFileClassifier.isTableDirectoryName(table.getFileName().toString())) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    static List<Path> children(Path dir) throws IOException {
        List<Path> result = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
            stream.forEach(result::add);
        }
        result.sort(null);
        return result;
    }

    private static Path dirOrNull(Path dir) throws IOException {
        return Files.isDirectory(dir) ? dir.toRealPath() : null;
    }

    private static String names(List<Path> children) {
        Stream<String> names = children.stream().limit(8).map(c -> c.getFileName() + (Files.isDirectory(c) ? "/" : ""));
        return String.join(", ", names.toList()) + (children.size() > 8 ? ", ..." : "");
    }

    private static StorageException invalid(String message) {
        return new StorageException(Kind.INVALID_SOURCE, message);
    }
}
