package io.snapci.tests;

import com.datastax.oss.driver.api.core.CqlSession;
import io.snapci.model.CassandraSettings;
import io.snapci.model.Phase;
import io.snapci.model.RunSpec;
import io.snapci.model.RunStatus;
import io.snapci.model.Source;
import io.snapci.scheduler.local.LocalMode;
import io.snapci.tests.support.QueryFingerprint;
import io.snapci.tests.support.RecordingObserver;
import io.snapci.tests.support.ShopOrders;
import io.snapci.tests.support.Snapci;
import io.snapci.tests.support.SourceNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fast start answers every query as the normal start does, with the class-data archive, without it (the first
 * run, which writes it), and turned off; and no archive, however wrong, breaks a run. One source and one work root
 * for the story, in order: the archive the first run leaves is what later cases use and then spoil.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FastStartTest {

    @TempDir
    static Path dir;
    static Path source;
    static LocalMode local;
    /** What the first run's queries returned: every later run must see the same. */
    static List<String> firstAnswers;

    @BeforeAll
    static void shopData() throws Exception {
        source = dir.resolve("production");
        try (SourceNode node = SourceNode.start(source, dir.resolve("production-config"));
             CqlSession session = node.connect()) {
            ShopOrders.create(session);
            // Two sstables, and rows still in the commit log to replay.
            ShopOrders.write(node, session, -10, 3000, 1500);
            session.execute("DELETE FROM shop.orders WHERE id IN (10, 11, 12)");
        }
        local = new LocalMode(dir.resolve("work"), Snapci.cassandraRuntime(), dir, Clock.systemUTC());
    }

    @Test
    @Order(1)
    void theFirstFastRunWritesTheArchiveAndTheNextUsesItWithTheSameAnswers() throws Exception {
        RunStatus first = run("first", true);
        firstAnswers = answers("first");
        assertThat(firstAnswers).contains("count 3007").anyMatch(l -> l.startsWith("range "))
                .anyMatch(l -> l.startsWith("schema shop.orders customer regular"))
                .contains("point 10 none");
        assertThat(jvmArguments(first)).contains("-XX:ArchiveClassesAtExit=", "-XX:+UseSerialGC",
                "-Dcassandra.memtable.row_overhead_size=", "-Dcassandra.skip_sync=true");
        assertThat(archives()).hasSize(1);
        assertThat(nodeLog(first)).as("the fast node does not lock its memory").doesNotContain("JNA mlockall successful");

        RunStatus second = run("second", true);
        assertThat(jvmArguments(second)).contains("-XX:SharedArchiveFile=" + archives().get(0));
        assertThat(answers("second")).isEqualTo(firstAnswers);
    }

    @Test
    @Order(2)
    void withoutTheFastStartTheNodeStartsAsAProductionNodeAndAnswersTheSame() throws Exception {
        RunStatus slow = run("slow", false);
        assertThat(jvmArguments(slow)).contains("-XX:+UseG1GC").doesNotContain("SharedArchiveFile",
                "ArchiveClassesAtExit", "skip_sync", "row_overhead_size", "TieredStopAtLevel");
        assertThat(answers("slow")).isEqualTo(firstAnswers);
    }

    @Test
    @Order(3)
    void aDamagedArchiveIsNoticedAndWrittenAgain() throws Exception {
        Files.write(archives().get(0), "not a class-data archive".repeat(1000).getBytes());
        RunStatus run = run("garbage", true);
        assertThat(jvmArguments(run)).contains("-XX:ArchiveClassesAtExit=");
        assertThat(answers("garbage")).isEqualTo(firstAnswers);
        assertThat(archives()).hasSize(1);
        assertThat(Files.size(archives().get(0))).isGreaterThan(1_000_000);
    }

    @Test
    @Order(4)
    void anArchiveTheJvmRejectsAtStartIsIgnoredByIt() throws Exception {
        // A real archive, of the same JDK, for a classpath of one jar (the JVM archives no classes from directories).
        Path foreign = dir.resolve("foreign.jsa");
        Path jna;
        try (Stream<Path> jars = Files.list(Snapci.cassandraRuntime().libDir())) {
            jna = jars.filter(p -> p.getFileName().toString().matches("jna-\\d.*\\.jar")).findFirst().orElseThrow();
        }
        Process dump = new ProcessBuilder(Snapci.javaBinary(), "-XX:ArchiveClassesAtExit=" + foreign,
                "-cp", jna.toString(), "com.sun.jna.Native")
                .redirectErrorStream(true).redirectOutput(dir.resolve("foreign.out").toFile()).start();
        assertThat(dump.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(foreign).isNotEmptyFile();
        Path archive = archives().get(0);
        Files.copy(foreign, archive, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        // snapci's note that it checked this file (name, size, time): forged, so that snapci offers it to the JVM
        // as it would an archive gone stale behind its back, and the JVM's own checks are what is tested.
        Files.writeString(archive.resolveSibling(archive.getFileName() + ".checked"), archive.getFileName() + " "
                + Files.size(archive) + " " + Files.getLastModifiedTime(archive).toMillis() + "\n");

        RunStatus run = run("foreign", true);
        assertThat(jvmArguments(run)).contains("-XX:SharedArchiveFile=" + archive);
        assertThat(answers("foreign")).isEqualTo(firstAnswers);
    }

    private static RunStatus run(String name, boolean fast) throws Exception {
        String command = "'" + Snapci.javaBinary() + "' -cp '" + Snapci.testClasspath() + "' "
                + QueryFingerprint.class.getName();
        CassandraSettings cassandra = CassandraSettings.defaults().withFastStart(fast);
        RunSpec spec = new RunSpec(Source.dataDir(source.toString()), command, null, dir.toString(),
                Map.of("FINGERPRINT_FILE", dir.resolve(name + ".txt").toString()), null, null, cassandra, Map.of());
        RecordingObserver observer = new RecordingObserver();
        local.service().addObserver(observer);
        RunStatus run = local.service().execute(local.service().submit(spec).id());
        assertThat(run.phase()).as(run.message() + "\n" + observer.outputText()).isEqualTo(Phase.PASSED);
        return run;
    }

    private static List<String> answers(String name) throws Exception {
        return Files.readAllLines(dir.resolve(name + ".txt"));
    }

    /** The node's own record of how it was started (Cassandra logs its JVM arguments at start). */
    private static String jvmArguments(RunStatus run) throws Exception {
        return nodeLog(run).lines().filter(l -> l.contains("JVM Arguments:")).findFirst().orElseThrow();
    }

    private static String nodeLog(RunStatus run) throws Exception {
        return Files.readString(local.workRoot().resolve("runs").resolve(run.id())
                .resolve("cassandra/cassandra-logs/system.log"));
    }

    private static List<Path> archives() throws Exception {
        try (Stream<Path> files = Files.list(local.workRoot().resolve("class-archives"))) {
            return files.filter(p -> p.getFileName().toString().endsWith(".jsa")).toList();
        }
    }
}
