package io.snapci.executor.cassandra;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Turns a cluster's clones, one per node, each a whole node's directories as production had them, into the layout a
 * local copy of several nodes has ({@code data/} of node 1, {@code data-<n>/} of node n without its {@code system}
 * and {@code system_schema}, every node's commit log segments side by side), so that {@link CopyNode} boots one node
 * on them exactly as it boots a local merged copy ({@link CassandraDirectories#dataDirectories()}).
 *
 * <p>Only the clones are changed (they are snapci's, made for this run and marked so by the caller): node n's data
 * directory is linked as {@code <first>/data-<n>}, its node-local keyspaces deleted, its commit log segments moved
 * into the first's commit log directory. Idempotent, so that a task started again on the same clones finds them
 * ready; two segments of one name are refused before anything moves (a segment's header repeats its id, so it
 * cannot be renamed).
 */
public final class ClusterCopyLayout {

    private ClusterCopyLayout() {
    }

    /** @param further the clones of nodes 2..N, in node order */
    public static void join(CassandraDirectories first, List<CassandraDirectories> further) throws IOException {
        refuseCommitlogCollisions(first, further);
        for (int i = 0; i < further.size(); i++) {
            int node = i + 2;
            CassandraDirectories other = further.get(i);
            if (!Files.isDirectory(other.data())) {
                throw new IllegalStateException("node " + node + "'s copy at " + other.root() + " has no data"
                        + " directory: the volume is not a Cassandra node's (its data/ is missing)");
            }
            for (String skip : CassandraDirectories.FURTHER_NODE_SKIPS) {
                Path keyspace = other.data().resolve(skip);
                if (Files.exists(keyspace, LinkOption.NOFOLLOW_LINKS)) {
                    CloneIdentity.deleteTree(keyspace);
                }
            }
            Files.createDirectories(first.commitlog());
            for (Path segment : segments(other.commitlog())) {
                Files.move(segment, first.commitlog().resolve(segment.getFileName()));
            }
            Path link = first.root().resolve(CassandraDirectories.furtherDataDir(node));
            if (Files.isSymbolicLink(link)) {
                Files.delete(link); // an earlier start's, maybe to another mount point
            } else if (Files.exists(link, LinkOption.NOFOLLOW_LINKS)) {
                throw new FileAlreadyExistsException(link + " exists in node 1's copy and is no link snapci made");
            }
            Files.createSymbolicLink(link, other.data());
        }
    }

    private static void refuseCommitlogCollisions(CassandraDirectories first, List<CassandraDirectories> further)
            throws IOException {
        java.util.Map<String, Path> seen = new java.util.HashMap<>();
        List<CassandraDirectories> all = new ArrayList<>(List.of(first));
        all.addAll(further);
        for (CassandraDirectories node : all) {
            for (Path segment : segments(node.commitlog())) {
                Path earlier = seen.putIfAbsent(segment.getFileName().toString(), node.root());
                if (earlier != null) {
                    throw new IllegalStateException("the commit logs of " + earlier + " and " + node.root()
                            + " both have a segment " + segment.getFileName() + ", which one test node cannot replay"
                            + " both of: run `nodetool drain` (or flush and restart) on one of the production nodes");
                }
            }
        }
    }

    private static List<Path> segments(Path commitlog) throws IOException {
        if (!Files.isDirectory(commitlog)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(commitlog)) {
            return files.filter(Files::isRegularFile).sorted().toList();
        }
    }
}
