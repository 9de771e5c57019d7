package io.snapci.tests;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.type.codec.TypeCodecs;
import com.datastax.oss.driver.api.core.ProtocolVersion;
import io.snapci.model.Phase;
import io.snapci.model.RunSpec;
import io.snapci.model.RunStatus;
import io.snapci.model.Source;
import io.snapci.scheduler.local.LocalMode;
import io.snapci.scheduler.local.storage.DirectoryFingerprint;
import io.snapci.tests.support.ProductionCluster;
import io.snapci.tests.support.ReadEveryRow;
import io.snapci.tests.support.RecordingObserver;
import io.snapci.tests.support.Snapci;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A whole production cluster as the source: three nodes on 127.0.0.1-3 with RF 2, so no node holds every row,
 * written through CQL at QUORUM; then two nodes drained and stopped and the third still running with writes only in
 * its commit log. A run over the three Cassandra homes boots one test node that returns every row exactly once
 * (count and checksum equal to what was written), takes the tests' writes, and leaves every production file as it
 * was. One cluster for the class.
 */
class ClusterSourceTest {

    private static final int ROWS = 3000;
    private static final int LATER = 300;

    @TempDir
    static Path dir;
    static io.snapci.cli.demo.ProductionCluster cluster;
    /** What production holds, as the tests' reader sums it. */
    static final SortedMap<Integer, String> expected = new TreeMap<>();

    @BeforeAll
    static void productionClusterWithDataSpreadOverItsNodes() throws Exception {
        cluster = ProductionCluster.start(dir.resolve("production"), 3);
        try (CqlSession session = cluster.connect()) {
            session.execute("CREATE KEYSPACE shop WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 2}");
            session.execute("CREATE TABLE shop.orders (id int PRIMARY KEY, customer text, total double)");
            PreparedStatement insert = session.prepare("INSERT INTO shop.orders (id, customer, total) VALUES (?, ?, ?)");
            for (int i = 0; i < ROWS; i++) {
                write(session, insert, i, "customer-" + i, i * 1.5);
            }
            cluster.flush("shop");
            // Later writes: updates of flushed rows, deletions and new rows, flushed on two nodes by their drain and
            // only in the commit log of the node that keeps running.
            for (int i = 0; i < LATER; i++) {
                write(session, insert, i * 7, "updated-" + i, -i);
                write(session, insert, ROWS + i, "new-" + i, i);
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
            assertEquals(Set.of(1, 2, 3), misses.keySet(), "every node lacks some rows: " + misses);
        }
        cluster.stop(1);
        cluster.stop(2);
    }

    private static void write(CqlSession session, PreparedStatement insert, int id, String customer, double total) {
        session.execute(insert.bind(id, customer, total).setConsistencyLevel(ConsistencyLevel.QUORUM));
        expected.put(id, ReadEveryRow.value(customer, total));
    }

    @AfterAll
    static void stopProduction() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void oneTestNodeOverTheThreeNodesReturnsEveryRowOnceAndProductionIsUnchanged() throws Exception {
        List<Path> homes = cluster.homes();
        List<DirectoryFingerprint> before = new ArrayList<>();
        before.add(DirectoryFingerprint.of(homes.get(0)));
        before.add(DirectoryFingerprint.of(homes.get(1)));
        Path runningShop = homes.get(2).resolve("data").resolve("shop");
        DirectoryFingerprint runningBefore = DirectoryFingerprint.of(runningShop);
        LocalMode local = new LocalMode(dir.resolve("work"), Snapci.cassandraRuntime(), dir, Clock.systemUTC());
        RecordingObserver observer = new RecordingObserver();
        local.service().addObserver(observer);
        String command = "'" + Snapci.javaBinary() + "' -cp '" + Snapci.testClasspath() + "' "
                + ReadEveryRow.class.getName();
        RunSpec spec = new RunSpec(Source.dataDirs(homes.stream().map(Path::toString).toList()), command, null,
                dir.toString(), Map.of(), null, null, null, Map.of());

        RunStatus run = local.service().execute(local.service().submit(spec).id());

        assertEquals(Phase.PASSED, run.phase(), run.message() + "\n" + observer.outputText());
        assertTrue(observer.output.contains("orders=" + expected.size() + " duplicates=0 checksum="
                + ReadEveryRow.checksum(expected)), "every row once, as production has it:\n" + observer.outputText());
        assertTrue(observer.output.contains("wrote " + ReadEveryRow.WRITES + " rows and read " + ReadEveryRow.WRITES
                + " back"), observer.outputText());
        assertEquals(List.of(), DirectoryFingerprint.of(homes.get(0)).differencesFrom(before.get(0)));
        assertEquals(List.of(), DirectoryFingerprint.of(homes.get(1)).differencesFrom(before.get(1)));
        assertEquals(List.of(), DirectoryFingerprint.of(runningShop).differencesFrom(runningBefore));
        assertTrue(run.cleanedUp());
        SourceIsNeverWrittenTest.assertNoCopyOrProcessLeft(local);
    }
}
