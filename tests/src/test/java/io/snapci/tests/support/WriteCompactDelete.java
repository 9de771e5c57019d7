package io.snapci.tests.support;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import io.snapci.executor.cassandra.NodeJmx;


/**
 * A test suite that does everything to its database a real one might: reads the production rows, writes,
 * deletes, flushes, compacts (which unlinks SSTables), truncates and drops a table. Run as the test command of a
 * run, it proves the copy is writable and the source untouched. Prints "read N rows" first.
 */
public final class WriteCompactDelete {

    public static void main(String[] args) throws Exception {
        try (CqlSession session = CopyConnection.cql()) {
            long rows = session.execute("SELECT count(*) FROM shop.orders").one().getLong(0);
            System.out.println("read " + rows + " rows");
            indexTheCopiedSSTables(session);
            PreparedStatement insert = session.prepare("INSERT INTO shop.orders (id, customer, total) VALUES (?, ?, ?)");
            for (int i = 0; i < 500; i++) {
                session.execute(insert.bind(1_000_000 + i, "ci-test-" + i, 1.0));
            }
            session.execute("DELETE FROM shop.orders WHERE id IN (0, 1, 2, 3, 4, 5, 6, 7, 8, 9)");
            try (NodeJmx jmx = CopyConnection.jmx()) {
                jmx.flush("shop");
                jmx.compact("shop");
            }
            session.execute("TRUNCATE shop.orders");
            session.execute("DROP TABLE shop.audit");
            System.out.println("wrote, deleted, compacted, truncated and dropped in the copy");
        }
    }

    /**
     * Builds a storage-attached index over the SSTables the copy shares with the source: Cassandra 5.0 adds the
     * index's components to each SSTable's TOC.txt by rewriting that file in place (TOCComponent.updateTOC opens it
     * with TRUNCATE_EXISTING, called from SSTable.registerComponents by StorageAttachedIndexBuilder), so a TOC shared
     * with the source through a hard link would change production's file. Waits until the index answers, so the
     * build has touched every SSTable before the test goes on.
     */
    private static void indexTheCopiedSSTables(CqlSession session) throws InterruptedException {
        session.execute("CREATE INDEX orders_by_customer ON shop.orders (customer) USING 'sai'");
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (true) {
            try {
                long found = session.execute("SELECT count(*) FROM shop.orders WHERE customer = 'customer-42'")
                        .one().getLong(0);
                System.out.println("indexed the copied SSTables: " + found + " row for customer-42");
                return;
            } catch (RuntimeException notQueryableYet) {
                if (System.nanoTime() > deadline) {
                    throw notQueryableYet;
                }
                Thread.sleep(100);
            }
        }
    }
}
