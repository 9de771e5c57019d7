package io.snapci.tests;

import io.snapci.model.CassandraSettings;
import io.snapci.model.Phase;
import io.snapci.model.RunSpec;
import io.snapci.model.RunStatus;
import io.snapci.model.Source;
import io.snapci.model.Timeouts;
import io.snapci.scheduler.local.LocalMode;
import io.snapci.scheduler.local.launch.LocalLauncher;
import io.snapci.scheduler.core.run.RunService;
import io.snapci.scheduler.core.testkit.InMemoryRunStore;
import io.snapci.scheduler.local.storage.LocalDirectoryDriver;
import io.snapci.tests.support.LeftoverProcesses;
import io.snapci.tests.support.Snapci;
import org.assertj.core.api.AbstractStringAssert;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Bad input gets a clear error and loses nothing: each case ends ERROR with a message that says what to do,
 * the run is marked cleaned up, and no copy and no process of it is left.
 */
class BadInputTest {

    @TempDir
    static Path dir;
    static Path workDir;

    @BeforeAll
    static void workDir() throws Exception {
        workDir = Files.createDirectories(dir.resolve("project"));
    }

    private static LocalMode local(String name) {
        return new LocalMode(dir.resolve(name), Snapci.cassandraRuntime(), workDir, Clock.systemUTC());
    }

    private static RunStatus run(LocalMode local, RunSpec spec) {
        RunService service = local.service();
        return service.execute(service.submit(spec).id());
    }

    private static RunSpec spec(Source source, String command, Timeouts timeouts, CassandraSettings cassandra) {
        return new RunSpec(source, command, null, workDir.toString(), Map.of(), null, timeouts, cassandra, Map.of());
    }

    @Test
    void aMissingSourceDirectorySaysSo() throws Exception {
        LocalMode local = local("missing");
        RunStatus run = run(local, spec(Source.dataDir(dir.resolve("nope").toString()), "true", null, null));
        assertErrorLeavingNothing(local, run).contains(dir.resolve("nope").toString()).containsIgnoringCase("not");
    }

    @Test
    void anEmptySourceDirectorySaysSo() throws Exception {
        LocalMode local = local("empty");
        Path empty = Files.createDirectories(dir.resolve("empty-source"));
        RunStatus run = run(local, spec(Source.dataDir(empty.toString()), "true", null, null));
        assertErrorLeavingNothing(local, run).containsIgnoringCase("empty");
    }

    @Test
    void aDirectoryThatIsNotCassandraDataSaysWhatWasExpected() throws Exception {
        LocalMode local = local("not-cassandra");
        Path notCassandra = Files.createDirectories(dir.resolve("photos"));
        Files.writeString(notCassandra.resolve("holiday.jpg"), "not an sstable");
        RunStatus run = run(local, spec(Source.dataDir(notCassandra.toString()), "true", null, null));
        assertThat(run.phase()).isEqualTo(Phase.ERROR);
        assertThat(run.message()).containsIgnoringCase("cassandra");
        assertThat(notCassandra.resolve("holiday.jpg")).hasContent("not an sstable");
        assertNothingLeft(local, run);
    }

    @Test
    void notEnoughDiskForTheCopiedPartStopsBeforeCopying() throws Exception {
        Path source = Files.createDirectories(dir.resolve("tiny-source/data/system/local-" + "0".repeat(32)));
        Files.write(source.resolve("nb-1-big-Data.db"), new byte[4096]);
        Files.createDirectories(dir.resolve("tiny-source/commitlog"));
        Files.write(dir.resolve("tiny-source/commitlog/CommitLog-7-1.log"), new byte[1 << 20]);
        Path clones = dir.resolve("full-disk/clones");
        LocalDirectoryDriver fullDisk = new LocalDirectoryDriver(clones, path -> 1024L, Clock.systemUTC());
        RunService service = new RunService(fullDisk,
                new LocalLauncher(dir.resolve("full-disk/runs"), Snapci.cassandraRuntime(), workDir),
                new InMemoryRunStore(), Clock.systemUTC());

        RunStatus run = service.execute(service.submit(
                spec(Source.dataDir(dir.resolve("tiny-source").toString()), "true", null, null)).id());

        assertThat(run.phase()).isEqualTo(Phase.ERROR);
        assertThat(run.message()).containsIgnoringCase("space");
        assertThat(run.cleanedUp()).isTrue();
        assertThat(Files.exists(clones) ? Files.list(clones).toList() : List.of()).isEmpty();
    }

    @Test
    void aTestCommandThatDoesNotExistIsAnErrorNotATestFailure() throws Exception {
        LocalMode local = local("no-command");
        RunStatus run = run(local, spec(null, "surely-no-such-test-runner --all", null, null));
        assertErrorLeavingNothing(local, run).contains("surely-no-such-test-runner").containsIgnoringCase("not found");
    }

    @Test
    void aCqlPortInUseSaysWhichPortAndWhatToDo() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            LocalMode local = local("port");
            CassandraSettings onTakenPort = new CassandraSettings(null, null, null, null, null, taken.getLocalPort());
            RunStatus run = run(local, spec(null, "true", null, onTakenPort));
            assertErrorLeavingNothing(local, run).contains(String.valueOf(taken.getLocalPort()))
                    .contains("already in use");
        }
    }

    @Test
    void cassandraNotReadyInTimeShowsTheTailOfItsLogAndIsStopped() throws Exception {
        LocalMode local = local("slow");
        Timeouts impatient = new Timeouts(Duration.ofSeconds(2), null, null);
        // Started as production starts (4 s and more here): a fast start can be ready within the 2 s.
        CassandraSettings slow = CassandraSettings.defaults().withFastStart(false);
        RunStatus run = run(local, spec(null, "true", impatient, slow));
        assertErrorLeavingNothing(local, run).contains("not ready within 2 s").contains("Last lines of");
    }

    @Test
    void aNodeThatCannotStartShowsCassandrasOwnReasonFromItsLog() throws Exception {
        LocalMode local = local("bad-yaml");
        CassandraSettings noSuchPartitioner = new CassandraSettings(null, null, null,
                "org.example.NoSuchPartitioner", null, null);
        RunStatus run = run(local, spec(null, "true", null, noSuchPartitioner));
        assertThat(run.phase()).isEqualTo(Phase.ERROR);
        // Cassandra's own log entry (logback's pattern) in system.log's section, not only its console output.
        String systemLogSection = run.message().split("Last lines of ")[1];
        assertThat(systemLogSection).startsWith(local.workRoot().toString()).contains("system.log:")
                .containsPattern("ERROR \\[main\\] .*")
                .contains("org.example.NoSuchPartitioner");
        assertNothingLeft(local, run);
    }

    /** The run ended in ERROR and left nothing behind ({@link #assertNothingLeft}); what its message says follows. */
    private static AbstractStringAssert<?> assertErrorLeavingNothing(LocalMode local, RunStatus run)
            throws Exception {
        assertThat(run.phase()).isEqualTo(Phase.ERROR);
        assertNothingLeft(local, run);
        return assertThat(run.message());
    }

    static void assertNothingLeft(LocalMode local, RunStatus run) throws Exception {
        assertEquals(run.phase(), local.store().find(run.id()).orElseThrow().phase(), "the final state is stored");
        assertThat(run.cleanedUp()).as("run marked cleaned up").isTrue();
        Path clones = local.workRoot().resolve("clones");
        assertThat(Files.exists(clones) ? Files.list(clones).toList() : List.of()).as("copies left").isEmpty();
        assertThat(LeftoverProcesses.mentioning(local.workRoot())).as("processes left").isEmpty();
        assertThat(LeftoverProcesses.childrenOfThisJvm()).as("children of the test JVM").isEmpty();
    }
}
