package io.snapci.tests;

import io.snapci.tests.support.CliProcess;
import io.snapci.tests.support.LeftoverProcesses;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code snapci run} as a CI job uses it, in its own JVM: exit codes that tell passed, failed and broken apart,
 * JUnit XML merged for the CI system, progress printed as it goes, and Ctrl-C leaving nothing behind.
 */
class CliTest {

    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(4);

    @TempDir
    Path dir;

    /** A test command that writes a Surefire-style report with the given failures, then exits with {@code exit}. */
    private static String suiteWriting(int failures, int exit) {
        StringBuilder cases = new StringBuilder();
        cases.append("<testcase classname=\"shop.OrderTest\" name=\"totals\"/>");
        cases.append("<testcase classname=\"shop.OrderTest\" name=\"names\"/>");
        for (int i = 0; i < failures; i++) {
            cases.append("<testcase classname=\"shop.OrderTest\" name=\"unicode").append(i)
                    .append("\"><failure message=\"expected valid JSON\">boom</failure></testcase>");
        }
        String xml = "<testsuite name=\"shop.OrderTest\" tests=\"" + (2 + failures) + "\" failures=\"" + failures
                + "\">" + cases + "</testsuite>";
        return "mkdir -p reports && echo \"checking $CASSANDRA_HOST:$CASSANDRA_PORT\" && printf '%s' '" + xml
                + "' > reports/TEST-shop.OrderTest.xml && exit " + exit;
    }

    @Test
    void passingTestsExitZeroPrintProgressAndWriteMergedJUnit() throws Exception {
        CliProcess cli = runOnEmptyCassandra(suiteWriting(0, 0), "--junit", "reports/*.xml",
                "--junit-out", "out/junit.xml");

        int exit = cli.awaitExit(RUN_TIMEOUT);

        assertThat(exit).as(cli.output()).isZero();
        assertThat(cli.output()).contains("snapshotting", "Cassandra ready after", "running tests",
                "checking 127.0.0.1:", "2 passed, 0 failed", "cleaned up", "PASSED");
        assertThat(dir.resolve("out/junit.xml")).content().contains("<testsuites", "shop.OrderTest");
        assertNothingLeft();
    }

    @Test
    void theCopyStartsFastByDefaultAndAsProductionStartsWithNoFastStart() throws Exception {
        for (String way : List.of("fast", "no-fast")) {
            List<String> args = new ArrayList<>(List.of("run", "--empty", "--work-root",
                    dir.resolve("work-" + way).toString(), "--test-cmd", "true"));
            if (way.equals("no-fast")) {
                args.add("--no-fast-start");
            }
            CliProcess cli = CliProcess.start(dir, args.toArray(String[]::new));
            assertThat(cli.awaitExit(RUN_TIMEOUT)).as(cli.output()).isZero();
        }
        assertThat(nodeJvmArguments(dir.resolve("work-fast"))).contains("-XX:+UseSerialGC",
                "-XX:ArchiveClassesAtExit=", "-Dcassandra.skip_sync=true");
        assertThat(nodeJvmArguments(dir.resolve("work-no-fast"))).contains("-XX:+UseG1GC")
                .doesNotContain("SerialGC", "Archive", "skip_sync");
    }

    /** The JVM arguments the only run's node logged at start. */
    private static String nodeJvmArguments(Path workRoot) throws IOException {
        try (var runs = Files.list(workRoot.resolve("runs"))) {
            Path log = runs.findFirst().orElseThrow().resolve("cassandra/cassandra-logs/system.log");
            try (var lines = Files.lines(log)) {
                return lines.filter(l -> l.contains("JVM Arguments:")).findFirst().orElseThrow();
            }
        }
    }

    @Test
    void failingTestsExitWithTheTestsOwnExitCode() throws Exception {
        CliProcess cli = runOnEmptyCassandra(suiteWriting(1, 7), "--junit", "reports/*.xml",
                "--junit-out", "out/junit.xml");

        int exit = cli.awaitExit(RUN_TIMEOUT);

        assertThat(exit).as(cli.output()).isEqualTo(7);
        assertThat(cli.output()).contains("2 passed, 1 failed", "shop.OrderTest.unicode0", "expected valid JSON",
                "FAILED");
        assertThat(dir.resolve("out/junit.xml")).content().contains("failures=\"1\"");
        assertNothingLeft();
    }

    @Test
    void anInfrastructureErrorExitsThreeWithAMessage() throws Exception {
        CliProcess cli = CliProcess.start(dir, "run", "--source-dir", dir.resolve("no-such-dir").toString(),
                "--work-root", work().toString(), "--test-cmd", "true");

        assertThat(cli.awaitExit(RUN_TIMEOUT)).as(cli.output()).isEqualTo(3);
        assertThat(cli.output()).contains("ERROR", dir.resolve("no-such-dir").toString());
        assertNothingLeft();
    }

    @Test
    void aTestCommandThatDoesNotExistIsRefusedBeforeAnythingStarts() throws Exception {
        CliProcess cli = runOnEmptyCassandra("mvnn -q test");

        assertThat(cli.awaitExit(RUN_TIMEOUT)).as(cli.output()).isEqualTo(2);
        assertThat(cli.output()).contains("mvnn").containsIgnoringCase("not found");
        assertThat(work()).doesNotExist();
    }

    @Test
    void ctrlCWhileTestsRunCancelsAndLeavesNoCopyAndNoProcess() throws Exception {
        CliProcess cli = runWithTestsSleeping(317);

        cli.interrupt();
        int exit = cli.awaitExit(Duration.ofMinutes(2));

        assertThat(exit).as(cli.output()).isEqualTo(130);
        assertThat(cli.output()).contains("cancelling run");
        assertNothingLeft();
        assertThat(LeftoverProcesses.mentioning("sleep 317")).as("the test command's processes").isEmpty();
    }

    @Test
    void aSnapciKilledMidRunIsCleanedUpByTheNextOne() throws Exception {
        CliProcess crashed = runWithTestsSleeping(331);
        crashed.killHard();
        assertThat(LeftoverProcesses.mentioning(work())).as("Cassandra outlived the killed snapci").isNotEmpty();
        assertThat(LeftoverProcesses.mentioning("sleep 331")).as("so did the tests").isNotEmpty();

        CliProcess next = runOnEmptyCassandra("true");

        assertThat(next.awaitExit(RUN_TIMEOUT)).as(next.output()).isZero();
        assertThat(next.output()).contains("snapci stopped while run", "was TESTING", "deleted the copy");
        assertNothingLeft();
        assertThat(LeftoverProcesses.mentioning("sleep 331")).as("the killed run's tests").isEmpty();
        try (Stream<Path> records = Files.list(work().resolve("state/runs"))) {
            List<String> texts = records.map(p -> {
                try {
                    return Files.readString(p);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).toList();
            assertThat(texts).anySatisfy(t -> assertThat(t).contains("\"phase\":\"ERROR\"", "snapci stopped while"));
        }
    }

    /** Where the runs keep their copies, logs and records: {@code --work-root}. */
    private Path work() {
        return dir.resolve("work");
    }

    /** {@code snapci run --empty --work-root <work> --test-cmd testCommand}, then {@code more} arguments. */
    private CliProcess runOnEmptyCassandra(String testCommand, String... more) throws IOException {
        List<String> args = new ArrayList<>(List.of("run", "--empty", "--work-root", work().toString(),
                "--test-cmd", testCommand));
        args.addAll(List.of(more));
        return CliProcess.start(dir, args.toArray(String[]::new));
    }

    /** A run whose tests have started and now sleep for {@code seconds} (a number no other process uses). */
    private CliProcess runWithTestsSleeping(int seconds) throws Exception {
        CliProcess cli = runOnEmptyCassandra("echo tests-started; sleep " + seconds);
        cli.awaitOutput("tests-started", RUN_TIMEOUT);
        // The shell prints before it starts the sleep: the tests really run only once the sleep does.
        awaitProcess("sleep " + seconds, RUN_TIMEOUT);
        return cli;
    }

    private void assertNothingLeft() throws Exception {
        Path work = work();
        Path clones = work.resolve("clones");
        try (Stream<Path> left = Files.exists(clones) ? Files.list(clones) : Stream.empty()) {
            assertThat(left.toList()).as("copies left").isEqualTo(List.of());
        }
        assertThat(LeftoverProcesses.mentioning(work)).as("processes left").isEmpty();
    }

    private static void awaitProcess(String commandLine, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (LeftoverProcesses.mentioning(commandLine).isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no process '" + commandLine + "' within " + timeout);
            }
            Thread.sleep(50);
        }
    }
}
