package io.snapci.scheduler.local.storage;

import io.snapci.scheduler.core.storage.StorageException;
import io.snapci.scheduler.core.storage.StorageException.Kind;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Whether the nodes of a cluster agree on the schema, as far as their files show: every node has a directory for
 * every table ({@code <keyspace>/<table>-<table id>}), created on each node when the schema change reached it, so
 * a node that missed a CREATE, DROP-and-recreate or keyspace lacks a directory the others have, or has one with
 * another table id. The merged copy keeps one node's {@code system_schema}; a node whose tables the schema does
 * not know would have its data silently ignored, so such a cluster is refused before anything is copied.
 * The per-node {@code system} keyspace is not compared: it is each node's own.
 */
final class ClusterSchema {

    private ClusterSchema() {
    }

    /** Refuses with the reason when the nodes' table directories differ. */
    static void checkAgreement(List<SourceLayout> nodes) throws StorageException {
        Set<String> first = tables(nodes.get(0));
        for (int i = 1; i < nodes.size(); i++) {
            Set<String> other = tables(nodes.get(i));
            if (!other.equals(first)) {
                Set<String> onlyFirst = new TreeSet<>(first);
                onlyFirst.removeAll(other);
                Set<String> onlyOther = new TreeSet<>(other);
                onlyOther.removeAll(first);
                throw new StorageException(Kind.INVALID_SOURCE, "the nodes do not agree on the schema: "
                        + nodes.get(0).root() + (onlyFirst.isEmpty() ? "" : " has " + limit(onlyFirst))
                        + (onlyFirst.isEmpty() || onlyOther.isEmpty() ? "" : " and")
                        + (onlyOther.isEmpty() ? "" : " lacks " + limit(onlyOther)) + " that " + nodes.get(i).root()
                        + (onlyOther.isEmpty() ? " lacks" : " has")
                        + ". A merged copy reads every node with one schema; wait until `nodetool describecluster`"
                        + " shows one schema version (or pass the nodes that agree), then run again");
            }
        }
    }

    /** {@code keyspace/table-id} of every table directory outside the per-node {@code system} keyspace. */
    static Set<String> tables(SourceLayout node) throws StorageException {
        Set<String> tables = new TreeSet<>();
        try {
            for (Path keyspace : SourceLayout.children(node.data())) {
                String ks = keyspace.getFileName().toString();
                if (!Files.isDirectory(keyspace) || ks.equals("system")) {
                    continue;
                }
                for (Path table : SourceLayout.children(keyspace)) {
                    String name = table.getFileName().toString();
                    if (Files.isDirectory(table) && CassandraFileClassifier.isTableDirectoryName(name)) {
                        tables.add(ks + "/" + name);
                    }
                }
            }
        } catch (IOException e) {
            throw new StorageException(Kind.INVALID_SOURCE, "cannot list the tables of " + node.root() + ": " + e, e);
        }
        return tables;
    }

    private static String limit(Set<String> names) {
        List<String> shown = new ArrayList<>(names).subList(0, Math.min(5, names.size()));
        return String.join(", ", shown) + (names.size() > 5 ? " and " + (names.size() - 5) + " more" : "");
    }
}
