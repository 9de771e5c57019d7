package io.snapci.tests.support;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A run's test command for a copy of a cluster: reads every row of {@code shop.orders} with a full scan, counts
 * rows seen more than once, prints {@code orders=N duplicates=D checksum=X}, then writes rows and reads them back
 * ({@code wrote W rows and read them back}). Exits 1 on a duplicate or a write it cannot read.
 */
public final class ReadEveryRow {

    public static final int WRITES = 200;

    public static void main(String[] args) throws Exception {
        String host = System.getenv("CASSANDRA_HOST");
        int port = Integer.parseInt(System.getenv("CASSANDRA_PORT"));
        DriverConfigLoader patient = DriverConfigLoader.programmaticBuilder()
                .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, Duration.ofSeconds(30)).build();
        try (CqlSession session = CqlSession.builder().addContactPoint(new InetSocketAddress(host, port))
                .withLocalDatacenter(System.getenv("CASSANDRA_DC")).withConfigLoader(patient).build()) {
            SortedMap<Integer, String> rows = new TreeMap<>();
            int duplicates = 0;
            for (Row row : session.execute("SELECT id, customer, total FROM shop.orders")) {
                if (rows.put(row.getInt("id"), value(row.getString("customer"), row.getDouble("total"))) != null) {
                    duplicates++;
                }
            }
            System.out.println("orders=" + rows.size() + " duplicates=" + duplicates + " checksum=" + checksum(rows));
            PreparedStatement insert = session.prepare("INSERT INTO shop.orders (id, customer, total) VALUES (?, ?, ?)");
            for (int i = 0; i < WRITES; i++) {
                session.execute(insert.bind(50_000_000 + i, "ci-test-" + i, 2.0));
            }
            long back = session.execute("SELECT count(*) FROM shop.orders WHERE id IN ("
                    + String.join(",", java.util.stream.IntStream.range(0, WRITES)
                    .mapToObj(i -> String.valueOf(50_000_000 + i)).toList()) + ")").one().getLong(0);
            System.out.println("wrote " + WRITES + " rows and read " + back + " back");
            System.exit(duplicates == 0 && back == WRITES ? 0 : 1);
        }
    }

    /** How a row is summed: its columns as text. */
    public static String value(String customer, double total) {
        return customer + "|" + total;
    }

    /** SHA-256 of the rows in key order, {@code id=value} a line. */
    public static String checksum(SortedMap<Integer, String> rows) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        for (Map.Entry<Integer, String> row : rows.entrySet()) {
            sha.update((row.getKey() + "=" + row.getValue() + "\n").getBytes(StandardCharsets.UTF_8));
        }
        return HexFormat.of().formatHex(sha.digest()).substring(0, 16);
    }
}
