package io.snapci.executor.cassandra;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Gives a copy of a node's data an identity of its own before it boots.
 *
 * A copy carries its source's system.local (host id, tokens, cluster name) and system.peers (the other nodes of the
 * production cluster). Booted as is, it would try to gossip with production nodes under production's cluster name.
 * Removing those tables from the copy makes it a new, single-node cluster of its own name; the user keyspaces and the
 * schema are untouched, and a single node owns every token range, so every row stays readable.
 * The copy's hints go too: a node keeps hints only for its peers (by host id), which the copy no longer has, so it
 * would never deliver them, and they hold production's writes as they were (unmasked) in files of the copy.
 * Only ever called on a snapci copy: unlinking a hard-linked file in the copy leaves the source's file intact.
 */
public final class CloneIdentity {

    private static final List<String> IDENTITY_TABLES = List.of("local-", "peers-", "peers_v2-");

    private CloneIdentity() {
    }

    /**
     * Removes the identity tables from the copy's system keyspace, and the copy's hints; returns the table
     * directories and hint files removed.
     */
    public static List<Path> reset(CassandraDirectories dirs) throws IOException {
        if (!dirs.isSnapciCopy()) {
            throw new IllegalStateException("refusing to change " + dirs.root() + ": it is not a snapci copy");
        }
        List<Path> removed = new ArrayList<>();
        if (Files.isSymbolicLink(dirs.hints())) {
            // A hints directory that is a link (kept from the source's volume) may point at anyone's hints, a
            // production node's too: the link goes, never what it points at; the node gets a directory of its own.
            Files.delete(dirs.hints());
            removed.add(dirs.hints());
        } else if (Files.isDirectory(dirs.hints())) {
            try (Stream<Path> hints = Files.list(dirs.hints())) {
                for (Path hint : hints.filter(Files::isRegularFile).toList()) {
                    Files.delete(hint);
                    removed.add(hint);
                }
            }
        }
        Path system = dirs.data().resolve("system");
        if (!Files.isDirectory(system)) {
            return removed;
        }
        try (Stream<Path> tables = Files.list(system)) {
            for (Path table : tables.toList()) {
                String name = table.getFileName().toString();
                if (IDENTITY_TABLES.stream().anyMatch(name::startsWith)) {
                    deleteTree(table);
                    removed.add(table);
                }
            }
        }
        return removed;
    }

    static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
