package io.snapci.tests.support;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.ProtocolVersion;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.type.codec.TypeCodecs;
import io.snapci.scheduler.local.storage.DirectoryFingerprint;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A production cluster whose rows no node holds all of, shared by every test of the JVM that needs one (three
 * Cassandra JVMs are the dearest fixture of the suite): three nodes on 127.0.0.1-3 with RF 2, {@code shop.orders}
 * written through CQL at QUORUM, flushed, then updated, extended and partly deleted; then nodes 1 and 2 drained and
 * stopped and node 3 left running with its later writes only in its commit log. Tests only read its homes (a run
 * copies them); it stops when the JVM ends.
 */
public final class SpreadShop {

    public static final int ROWS = 3000;
    private static final int LATER = 300;

    private static SpreadShop shared;

    private final io.snapci.cli.demo.ProductionCluster cluster;
    private final SortedMap<Integer, String> expected;

    private SpreadShop(io.snapci.cli.demo.ProductionCluster cluster, SortedMap<Integer, String> expected) {
        this.cluster = cluster;
        this.expected = Collections.unmodifiableSortedMap(expected);
    }

    /** The one cluster of this JVM, started on first use. */
    public static synchronized SpreadShop get() throws Exception {
        if (shared == null) {
            Path dir = Files.createTempDirectory("snapci-spread-shop");
            // Node 3 keeps running until the JVM ends, through the test classes that come after its users.
            LeftoverProcesses.sharedFixture(dir);
            io.snapci.cli.demo.ProductionCluster cluster = ProductionCluster.start(dir.resolve("production"), 3);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                cluster.close();
                deleteQuietly(dir);
            }, "spread-shop-stop"));
            shared = new SpreadShop(cluster, write(cluster));
        }
        return shared;
    }

    private static SortedMap<Integer, String> write(io.snapci.cli.demo.ProductionCluster cluster) throws Exception {
        SortedMap<Integer, String> expected = new TreeMap<>();
        try (CqlSession session = cluster.connect()) {
            session.execute("CREATE KEYSPACE shop WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 2}");
            session.execute("CREATE TABLE shop.orders (id int PRIMARY KEY, customer text, total double)");
            PreparedStatement insert = session.prepare("INSERT INTO shop.orders (id, customer, total) VALUES (?, ?, ?)");
            for (int i = 0; i < ROWS; i++) {
                write(session, insert, expected, i, "customer-" + i, i * 1.5);
            }
            cluster.flush("shop");
            // Later writes: updates of flushed rows, deletions and new rows, flushed on two nodes by their drain and
            // only in the commit log of the node that keeps running.
            for (int i = 0; i < LATER; i++) {
                write(session, insert, expected, i * 7, "updated-" + i, -i);
                write(session, insert, expected, ROWS + i, "new-" + i, i);
            }
            for (int i = 0; i < 50; i++) {
                int id = 1 + i * 11;
                session.execute(session.prepare("DELETE FROM shop.orders WHERE id = ?").bind(id)
                        .setConsistencyLevel(ConsistencyLevel.QUORUM));
                expected.remove(id);
            }
            Map<Integer, Integer> misses = new TreeMap<>();
            for (int id : expected.keySet()) {
                Set<Integer> replicas = io.snapci.cli.demo.ProductionCluster.replicas(session, "shop",
                        TypeCodecs.INT.encode(id, ProtocolVersion.DEFAULT));
                for (int node = 1; node <= 3; node++) {
                    if (!replicas.contains(node)) {
                        misses.merge(node, 1, Integer::sum);
                    }
                }
            }
            if (!misses.keySet().equals(Set.of(1, 2, 3))) {
                throw new IllegalStateException("every node should lack some rows: " + misses);
            }
        }
        cluster.stop(1);
        cluster.stop(2);
        return expected;
    }

    private static void write(CqlSession session, PreparedStatement insert, SortedMap<Integer, String> expected,
                              int id, String customer, double total) {
        session.execute(insert.bind(id, customer, total).setConsistencyLevel(ConsistencyLevel.QUORUM));
        expected.put(id, ReadEveryRow.value(customer, total));
    }

    private static void deleteQuietly(Path dir) {
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (java.io.IOException | java.io.UncheckedIOException e) {
            System.err.println("could not delete " + dir + ": " + e);
        }
    }

    /** Each node's Cassandra home (data, commitlog, ...), node 1 first; node 3's is in use. */
    public List<Path> homes() {
        return cluster.homes();
    }

    /**
     * Production's files as they are now, for {@link ProductionFiles#changes} to compare with after a run: nodes 1
     * and 2's whole homes, and node 3's {@code shop} data (node 3 is running: it writes its own commit log and
     * system tables).
     */
    public ProductionFiles productionFiles() {
        List<Path> homes = homes();
        return new ProductionFiles(List.of(DirectoryFingerprint.of(homes.get(0)), DirectoryFingerprint.of(homes.get(1)),
                DirectoryFingerprint.of(homes.get(2).resolve("data").resolve("shop"))));
    }

    /** Production's files as {@link #productionFiles} took them. */
    public record ProductionFiles(List<DirectoryFingerprint> taken) {

        /** How production's files now differ from when they were taken, each after its directory; none: unchanged. */
        public List<String> changes() {
            List<String> changes = new ArrayList<>();
            for (DirectoryFingerprint before : taken) {
                for (String difference : DirectoryFingerprint.of(before.root()).differencesFrom(before)) {
                    changes.add(before.root() + ": " + difference);
                }
            }
            return changes;
        }
    }

    /** What production holds, as {@link ReadEveryRow} sums it. */
    public SortedMap<Integer, String> expected() {
        return expected;
    }

    /** The line {@link ReadEveryRow} prints when a copy returns every row once, as production has it. */
    public String everyRowOnce() throws Exception {
        return "orders=" + expected.size() + " duplicates=0 checksum=" + ReadEveryRow.checksum(expected);
    }
}
