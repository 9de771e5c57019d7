package io.snapci.tests;

import com.datastax.oss.driver.api.core.CqlSession;
import io.snapci.executor.cassandra.CassandraDirectories;
import io.snapci.executor.cassandra.CassandraNode;
import io.snapci.executor.cassandra.NodeConfig;
import io.snapci.executor.cassandra.NodePorts;
import io.snapci.executor.cassandra.ProductionVersion;
import io.snapci.model.CassandraSettings;
import io.snapci.model.Phase;
import io.snapci.model.RunSpec;
import io.snapci.model.RunStatus;
import io.snapci.model.Source;
import io.snapci.scheduler.local.LocalMode;
import io.snapci.tests.support.RecordingObserver;
import io.snapci.tests.support.Snapci;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Production's Cassandra version read from real files of both formats this machine writes (5.0.6: {@code nb} in its
 * default storage compatibility mode, {@code da} with bti and no compatibility mode), and a source of a version that
 * cannot run here (4.1, as its system.local records it) refused before anything is copied, then booted on 5.0.6 when
 * the run asks for it, which its record states.
 */
class VersionDetectionTest {

    @TempDir
    static Path dir;
    static Path compatible;
    static Path bti;

    @BeforeAll
    static void twoProductionNodesOfBothFormats() throws Exception {
        compatible = dir.resolve("compatible");
        bti = dir.resolve("bti");
        CompletableFuture<Void> a = CompletableFuture.runAsync(() -> write(compatible, List.of()));
        CompletableFuture<Void> b = CompletableFuture.runAsync(() -> write(bti, List.of(
                "-Dcassandra.config.allow_system_properties=true",
                "-Dcassandra.settings.storage_compatibility_mode=NONE", "-Dcassandra.sstable.format.default=bti",
                "-Dcassandra.settings.sstable.selected_format=bti")));
        a.join();
        b.join();
    }

    private static void write(Path home, List<String> jvmOptions) {
        try {
            NodeConfig config = new NodeConfig("production", CassandraDirectories.under(home),
                    home.resolveSibling(home.getFileName() + "-config"), NodePorts.pick(null),
                    new CassandraSettings("320m", null, null, null, jvmOptions, null));
            try (CassandraNode node = CassandraNode.startReady(Snapci.cassandraRuntime(), config,
                    Duration.ofMinutes(4)); CqlSession session = node.connect()) {
                session.execute("CREATE KEYSPACE shop WITH replication = {'class': 'SimpleStrategy', "
                        + "'replication_factor': 1}");
                session.execute("CREATE TABLE shop.orders (id int PRIMARY KEY, customer text)");
                session.execute("INSERT INTO shop.orders (id, customer) VALUES (1, 'Zoë')");
                node.stop(Duration.ofSeconds(30));
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void realFilesOfBothFormatsTellCassandra5() throws Exception {
        ProductionVersion nb = ProductionVersion.detect(List.of(compatible.resolve("data"))).orElseThrow();
        assertEquals(5, nb.major());
        assertEquals(Snapci.cassandraRuntime().release(), nb.release());
        assertTrue(nb.formats().contains("nb"), nb.describe());

        ProductionVersion da = ProductionVersion.detect(List.of(bti.resolve("data"))).orElseThrow();
        assertEquals(5, da.major());
        assertTrue(da.formats().contains("da"), da.describe());
        assertFalse(da.formats().contains("nb"), da.describe());
    }

    @Test
    void aVersionThatCannotRunHereIsRefusedBeforeCopyingAndTheOverrideBootsAndIsRecorded() throws Exception {
        Path fourOne = dir.resolve("four-one");
        copyTree(compatible, fourOne);
        // What a 4.1 node's system.local records; the copy's node never reads it (CloneIdentity removes the table).
        try (Stream<Path> local = Files.list(fourOne.resolve("data/system"))) {
            Path table = local.filter(p -> p.getFileName().toString().startsWith("local-")).findFirst().orElseThrow();
            try (Stream<Path> files = Files.list(table)) {
                for (Path f : files.filter(p -> p.toString().endsWith("-Data.db")).toList()) {
                    Files.write(f, "\u00003.4.5\u00004.1.5\u0000".getBytes(StandardCharsets.ISO_8859_1));
                }
            }
        }
        LocalMode local = new LocalMode(dir.resolve("work"), Snapci.cassandraRuntime(), dir, Clock.systemUTC());
        RecordingObserver observer = new RecordingObserver();
        local.service().addObserver(observer);
        String command = "test \"$CASSANDRA_PORT\" -gt 0";

        RunStatus refused = local.service().execute(local.service().submit(spec(fourOne, command, null)).id());

        assertEquals(Phase.ERROR, refused.phase());
        assertTrue(refused.message().contains("production runs Cassandra 4.0/4.1 (release 4.1.5 recorded in"
                + " system.local; SSTable format nb)"), refused.message());
        assertTrue(refused.message().contains("--cassandra-version 5.0"), refused.message());
        assertNull(refused.cloneId(), "nothing was copied");

        RunStatus asked = local.service().execute(local.service().submit(spec(fourOne, command, "5.0")).id());

        assertEquals(Phase.PASSED, asked.phase(), asked.message() + "\n" + observer.outputText());
        assertNotNull(asked.cassandraVersion());
        assertTrue(asked.cassandraVersion().startsWith("Cassandra " + Snapci.cassandraRuntime().release()
                + " instead of production's Cassandra 4.0/4.1"), asked.cassandraVersion());
        assertTrue(observer.notes.contains(asked.cassandraVersion()), "the output says it too: " + observer.notes);
        assertEquals(asked.cassandraVersion(), local.store().find(asked.id()).orElseThrow().cassandraVersion(),
                "and the stored record");
    }

    private static RunSpec spec(Path source, String command, String version) {
        return new RunSpec(Source.dataDir(source.toString()), command, null, dir.toString(), Map.of(), null, null,
                new CassandraSettings(null, null, null, null, null, null, null, version), Map.of());
    }

    private static void copyTree(Path from, Path to) throws Exception {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }
}
