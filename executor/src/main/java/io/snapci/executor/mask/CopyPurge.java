package io.snapci.executor.mask;

import com.datastax.oss.driver.api.core.CqlSession;
import io.snapci.executor.cassandra.NodeJmx;
import io.snapci.model.ExecutionListener;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * After masking, removes the originals from the copy's files, not only from query results: gc_grace_seconds = 0 on
 * the masked tables (a throwaway copy needs no repair window, so tombstones and the cells they shadow may go at
 * once), a flush of everything, then a major compaction of the masked tables, which writes new SSTables and unlinks
 * the old ones (hard links to the source: the source keeps its files, the copy loses its names for them).
 */
public final class CopyPurge {

    private CopyPurge() {
    }

    /** Turns the commit log off (or on again) for the keyspaces of these tables. */
    public static void durableWrites(CqlSession session, Set<String> tables, boolean durable) {
        Set<String> keyspaces = new LinkedHashSet<>();
        tables.forEach(table -> keyspaces.add(table.substring(0, table.indexOf('.'))));
        for (String keyspace : keyspaces) {
            session.execute("ALTER KEYSPACE \"" + keyspace + "\" WITH durable_writes = " + durable);
        }
    }

    public static void purge(CqlSession session, NodeJmx jmx, Set<String> tables, ExecutionListener listener) {
        Map<String, Set<String>> byKeyspace = new LinkedHashMap<>();
        for (String table : tables) {
            String[] parts = table.split("\\.");
            byKeyspace.computeIfAbsent(parts[0], k -> new LinkedHashSet<>()).add(parts[1]);
            session.execute("ALTER TABLE \"" + parts[0] + "\".\"" + parts[1] + "\" WITH gc_grace_seconds = 0");
        }
        try {
            for (Map.Entry<String, Set<String>> entry : byKeyspace.entrySet()) {
                jmx.flush(entry.getKey());
                listener.onProgress("compacting " + entry.getKey() + " " + entry.getValue()
                        + " so that no file of the copy keeps an original value");
                jmx.compact(entry.getKey(), List.copyOf(entry.getValue()));
            }
        } catch (Exception e) {
            throw new MaskingException("masking: could not compact the masked tables: " + e.getMessage(), e);
        }
    }
}
