package io.snapci.tests;

import io.snapci.cli.SnapciCli;
import io.snapci.tests.support.LeftoverProcesses;
import io.snapci.tests.support.Snapci;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The story snapci grew from, end to end with real parts: a running production Cassandra holding an entry a user
 * typed with a double quote; the guestbook's real test suite (Maven, JUnit) passes on its fixtures, fails on a
 * snapshot of production and says why; production is unchanged.
 */
class GuestbookStoryTest {

    @TempDir
    Path dir;

    @Test
    void testsPassOnFixturesFailOnASnapshotOfProductionAndProductionIsUnchanged() throws Exception {
        Demo demo = demo(300);

        assertThat(demo.exit()).as("the demo's own verdict").isZero();
        assertThat(demo.output())
                .contains("on fixtures: PASSED")
                .contains("on production data: FAILED")
                .contains("Zoë")
                .contains("identical before and after")
                .contains("production still answers with 301 entries: the 301 it had");
        assertThat(LeftoverProcesses.mentioning(dir)).as("processes left").isEmpty();
    }

    /**
     * {@code snapci demo --nodes 3}: production is a 3-node cluster at RF 2 where Zoë's entry lives on nodes 2 and 3
     * only; a copy of node 1 alone passes the tests, a copy of the whole cluster (one test node) fails them.
     */
    @Test
    void onAThreeNodeClusterACopyOfOneNodePassesAndACopyOfTheClusterCatchesTheBug() throws Exception {
        Demo demo = demo(200, "--nodes", "3");

        assertThat(demo.exit()).as("the demo's own verdict").isZero();
        assertThat(demo.output())
                .contains("3-node Cassandra cluster (replication factor 2)")
                .contains("(on nodes [2, 3] only)")
                .contains("on fixtures: PASSED")
                .contains("on node 1's data alone: PASSED")
                .contains("on the whole cluster's data: FAILED")
                .contains("3 nodes into one")
                .contains("identical before and after")
                .contains("production still answers with 201 entries: the 201 it had");
        assertThat(LeftoverProcesses.mentioning(dir)).as("processes left").isEmpty();
    }

    /** What {@code snapci demo} answered: its exit code and what it printed. */
    private record Demo(int exit, String output) {
    }

    /**
     * Runs {@code snapci demo} in this JVM on the repository's guestbook with {@code entries} entries in production,
     * {@code options} first; what it prints is kept and shown in the build log.
     */
    private Demo demo(int entries, String... options) {
        List<String> args = new ArrayList<>(List.of("demo"));
        args.addAll(List.of(options));
        args.addAll(List.of("--work-root", dir.toString(),
                "--guestbook", Snapci.repoRoot().resolve("examples/guestbook").toString(),
                "--entries", String.valueOf(entries)));
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream originalOut = System.out;
        int exit;
        try (PrintStream tee = new PrintStream(new TeeStream(captured, originalOut), true, StandardCharsets.UTF_8)) {
            System.setOut(tee);
            exit = SnapciCli.commandLine().execute(args.toArray(String[]::new));
        } finally {
            System.setOut(originalOut);
        }
        return new Demo(exit, captured.toString(StandardCharsets.UTF_8));
    }

    /** Writes to two streams: the test keeps the output, the build log shows it. */
    private static final class TeeStream extends java.io.OutputStream {
        private final java.io.OutputStream a;
        private final java.io.OutputStream b;

        TeeStream(java.io.OutputStream a, java.io.OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public void write(int c) throws java.io.IOException {
            a.write(c);
            b.write(c);
        }

        @Override
        public void write(byte[] buf, int off, int len) throws java.io.IOException {
            a.write(buf, off, len);
            b.write(buf, off, len);
        }
    }
}
