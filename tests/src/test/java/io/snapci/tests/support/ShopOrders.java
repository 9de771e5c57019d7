package io.snapci.tests.support;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;

/**
 * The production data the one-node stories share: keyspace {@code shop} (one replica) with its {@code orders}
 * table, the order of id {@code i} being customer {@code customer-<i>}, total {@code i × 1.5}.
 */
public final class ShopOrders {

    private ShopOrders() {
    }

    /** Creates the keyspace and its orders table. */
    public static void create(CqlSession session) {
        session.execute("CREATE KEYSPACE shop WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
        session.execute("CREATE TABLE shop.orders (id int PRIMARY KEY, customer text, total double)");
    }

    /**
     * Writes the orders of ids {@code from} (inclusive) to {@code to} (exclusive), flushing the keyspace once, right
     * after id {@code flushAfter}: the source then has two SSTables, and the later rows only in its commit log.
     */
    public static void write(SourceNode node, CqlSession session, int from, int to, int flushAfter) throws Exception {
        PreparedStatement insert = session.prepare("INSERT INTO shop.orders (id, customer, total) VALUES (?, ?, ?)");
        for (int i = from; i < to; i++) {
            session.execute(insert.bind(i, "customer-" + i, i * 1.5));
            if (i == flushAfter) {
                node.flush("shop");
            }
        }
    }
}
