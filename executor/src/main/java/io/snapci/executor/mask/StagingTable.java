package io.snapci.executor.mask;

import com.datastax.oss.driver.api.core.CqlIdentifier;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.metadata.schema.ClusteringOrder;
import com.datastax.oss.driver.api.core.metadata.schema.ColumnMetadata;
import com.datastax.oss.driver.api.core.metadata.schema.TableMetadata;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A table of the same columns and primary key as a masked table, in its keyspace, where rows rewritten under a new
 * key wait while the masked table is still being read. It only ever holds masked values; it is dropped once its rows
 * are in the table (the copy's node has auto_snapshot off, so nothing of it stays on disk).
 */
final class StagingTable {

    static final String PREFIX = "snapci_staging_";

    private StagingTable() {
    }

    /** Creates the staging table of {@code table}; refuses when the copy already has a table of that name. */
    static TableMetadata create(CqlSession session, TableMetadata table) {
        CqlIdentifier name = CqlIdentifier.fromInternal(PREFIX + Integer.toHexString(
                (table.getKeyspace().asInternal() + "." + table.getName().asInternal()).hashCode()));
        if (session.getMetadata().getKeyspace(table.getKeyspace()).flatMap(ks -> ks.getTable(name)).isPresent()) {
            throw new MaskingException("masking: the copy already has a table " + table.getKeyspace().asInternal()
                    + "." + name.asInternal() + ", the name masking stages " + table.getName().asInternal()
                    + "'s rewritten rows in; rename or drop it in production, or mask without a rule on its key");
        }
        List<String> columns = new ArrayList<>();
        for (ColumnMetadata column : table.getColumns().values()) {
            columns.add(column.getName().asCql(true) + " " + column.getType().asCql(true, true)
                    + (column.isStatic() ? " STATIC" : ""));
        }
        String partitionKey = table.getPartitionKey().stream().map(c -> c.getName().asCql(true))
                .collect(Collectors.joining(", "));
        Map<ColumnMetadata, ClusteringOrder> clustering = table.getClusteringColumns();
        String primaryKey = "(" + partitionKey + ")" + clustering.keySet().stream()
                .map(c -> ", " + c.getName().asCql(true)).collect(Collectors.joining());
        String order = clustering.isEmpty() ? "" : " WITH CLUSTERING ORDER BY (" + clustering.entrySet().stream()
                .map(e -> e.getKey().getName().asCql(true) + " " + e.getValue().name())
                .collect(Collectors.joining(", ")) + ")";
        String qualified = table.getKeyspace().asCql(true) + "." + name.asCql(true);
        session.execute("CREATE TABLE " + qualified + " (" + String.join(", ", columns) + ", PRIMARY KEY ("
                + primaryKey + "))" + order);
        return session.refreshSchema().getKeyspace(table.getKeyspace()).flatMap(ks -> ks.getTable(name))
                .orElseThrow(() -> new MaskingException("masking: the staging table " + qualified + " was created "
                        + "but the node does not show it"));
    }

    static void drop(CqlSession session, TableMetadata staging) {
        session.execute("DROP TABLE IF EXISTS " + staging.getKeyspace().asCql(true) + "."
                + staging.getName().asCql(true));
    }

    /** After a failure: the staging table goes too, and the failure that matters stays the one reported. */
    static void dropQuietly(CqlSession session, TableMetadata staging) {
        try {
            drop(session, staging);
        } catch (RuntimeException ignored) {
            // the run ends ERROR for the first failure; its copy is deleted with the staging table in it
        }
    }
}
