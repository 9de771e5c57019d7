package io.snapci.tests.support;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A test suite that writes down what its queries return on a copy of the shop data: a count, point reads, a
 * token-range scan, the schema, and writes read back (after a flush, too). Two runs whose files are equal saw the
 * same answers. Writes to {@code $FINGERPRINT_FILE}.
 */
public final class QueryFingerprint {

    public static void main(String[] args) throws Exception {
        List<String> lines = new ArrayList<>();
        try (CqlSession session = CopyConnection.cql()) {
            lines.add("count " + session.execute("SELECT count(*) FROM shop.orders").one().getLong(0));
            for (int id = -5; id < 60; id += 3) {
                lines.add("point " + id + " " + row(session.execute(
                        "SELECT id, customer, total FROM shop.orders WHERE id = " + id).one()));
            }
            // A quarter of the ring, in token order, all pages.
            for (Row r : session.execute(SimpleStatement.newInstance("SELECT token(id), id, customer, total "
                    + "FROM shop.orders WHERE token(id) > -9223372036854775808 AND token(id) <= -4611686018427387904")
                    .setPageSize(100))) {
                lines.add("range " + r.getLong(0) + " " + r.getInt(1) + " " + r.getString(2) + " " + r.getDouble(3));
            }
            for (Row r : session.execute("SELECT keyspace_name, table_name, column_name, kind, position, type "
                    + "FROM system_schema.columns WHERE keyspace_name = 'shop'")) {
                lines.add("schema " + r.getString(0) + "." + r.getString(1) + " " + r.getString(2) + " "
                        + r.getString(3) + " " + r.getInt(4) + " " + r.getString(5));
            }
            PreparedStatement insert = session.prepare(
                    "INSERT INTO shop.orders (id, customer, total) VALUES (?, ?, ?)");
            for (int i = 0; i < 200; i++) {
                session.execute(insert.bind(500_000 + i, "written-" + i, i * 0.25));
            }
            session.execute("UPDATE shop.orders SET total = 99.5 WHERE id = 500007");
            session.execute("DELETE FROM shop.orders WHERE id IN (500001, 3, 4)");
            lines.add("after writes " + readBack(session));
            try (io.snapci.executor.cassandra.NodeJmx jmx = CopyConnection.jmx()) {
                jmx.flush("shop");
            }
            lines.add("after flush " + readBack(session));
        }
        Files.write(Path.of(System.getenv("FINGERPRINT_FILE")), lines);
        System.out.println("fingerprint: " + lines.size() + " lines");
    }

    private static String readBack(CqlSession session) {
        return session.execute("SELECT count(*) FROM shop.orders").one().getLong(0) + " "
                + row(session.execute("SELECT id, customer, total FROM shop.orders WHERE id = 500007").one()) + " "
                + row(session.execute("SELECT id, customer, total FROM shop.orders WHERE id = 500001").one()) + " "
                + row(session.execute("SELECT id, customer, total FROM shop.orders WHERE id = 3").one());
    }

    private static String row(Row r) {
        return r == null ? "none" : r.getInt(0) + "/" + r.getString(1) + "/" + r.getDouble(2);
    }
}
