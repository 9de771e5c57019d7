package io.snapci.tests.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.snapci.tests.support.CliProcess;
import io.snapci.tests.support.LeftoverProcesses;
import io.snapci.tests.support.LocalServe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The CLI against a real {@code snapci serve} (local mode, real Cassandra), each command in its own JVM as a CI job
 * runs it: one failing run shared by the assertions on exit codes, streamed output, JUnit, status, list and logs;
 * one run interrupted with Ctrl-C while a second waits in the queue and is cancelled with {@code snapci cancel};
 * runs and calls that go wrong before any Cassandra starts.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RemoteCliTest {

    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(4);
    private static final Duration QUICK = Duration.ofSeconds(60);
    private static final Pattern RUN_ID = Pattern.compile("run (r[0-9a-z-]+) on ");

    @TempDir
    static Path dir;

    private LocalServe service;
    private CliProcess failing;
    private int failingExit;
    private String failingRunId;

    /** Writes a Surefire-style report with the given failures, prints where Cassandra is, exits {@code exit}. */
    private static String suiteWriting(int failures, int exit) {
        StringBuilder cases = new StringBuilder("<testcase classname=\"shop.OrderTest\" name=\"totals\"/>"
                + "<testcase classname=\"shop.OrderTest\" name=\"names\"/>");
        for (int i = 0; i < failures; i++) {
            cases.append("<testcase classname=\"shop.OrderTest\" name=\"unicode").append(i)
                    .append("\"><failure message=\"expected valid JSON\">boom</failure></testcase>");
        }
        String xml = "<testsuite name=\"shop.OrderTest\" tests=\"" + (2 + failures) + "\" failures=\"" + failures
                + "\">" + cases + "</testsuite>";
        return "mkdir -p reports && echo \"checking $CASSANDRA_HOST:$CASSANDRA_PORT\" && echo 'to stderr' >&2 && "
                + "printf '%s' '" + xml + "' > reports/TEST-shop.OrderTest.xml && exit " + exit;
    }

    @BeforeAll
    void failingRun() throws Exception {
        service = LocalServe.start(dir, Map.of("runs.maxConcurrent", "1"));
        failing = cli("run", "--empty", "--test-cmd", suiteWriting(1, 7), "--junit", "reports/*.xml",
                "--junit-out", "out/junit.xml", "--client-key", "cli-test-failing", "--label", "team=shop");
        failingExit = failing.awaitExit(RUN_TIMEOUT);
        failingRunId = runIdIn(failing);
    }

    @AfterAll
    void stop() {
        if (service != null) {
            service.close();
        }
    }

    @Test
    void aFailingRunExitsWithTheTestsOwnCodeStreamsTheirOutputAndWritesTheJUnitXml() throws Exception {
        assertThat(failingExit).as(failing.output()).isEqualTo(7);
        assertThat(failing.output()).contains("(client key cli-test-failing)", "snapshotting", "Cassandra ready after",
                "testing", "checking 127.0.0.1:", "to stderr", "tests: 2 passed, 1 failed", "FAILED",
                "JUnit XML written to", "copy deleted, exit code 7");
        assertThat(dir.resolve("out/junit.xml")).content().contains("<testsuites", "failures=\"1\"", "unicode0");
        assertThat(service.clones().resolve(failingRunId)).doesNotExist();
    }

    @Test
    void statusListAndLogsShowTheRunAsTheServiceHasIt() throws Exception {
        CliProcess status = cli("status", failingRunId);
        assertThat(status.awaitExit(QUICK)).as(status.output()).isZero();
        assertThat(status.output()).contains("run:", failingRunId, "FAILED", "(empty Cassandra)", "tests:",
                "2 passed, 1 failed", "shop.OrderTest.unicode0: expected valid JSON", "test exit code:  7",
                "deleted", "STARTING_CASSANDRA", "team=shop");

        CliProcess json = cli("status", failingRunId, "--json");
        assertThat(json.awaitExit(QUICK)).isZero();
        JsonNode run = new ObjectMapper().readTree(json.output());
        assertThat(run.get("phase").asText()).isEqualTo("FAILED");

        CliProcess failed = cli("list", "--state", "failed", "--label", "snapci.clientKey=cli-test-failing");
        assertThat(failed.awaitExit(QUICK)).as(failed.output()).isZero();
        assertThat(failed.output()).contains("ID", "PHASE", failingRunId, "2 passed, 1 failed");
        CliProcess passed = cli("list", "--state", "passed");
        assertThat(passed.awaitExit(QUICK)).isZero();
        assertThat(passed.output()).doesNotContain(failingRunId).contains("no runs");

        CliProcess logs = cli("logs", failingRunId);
        assertThat(logs.awaitExit(QUICK)).as(logs.output()).isZero();
        assertThat(logs.output()).contains("checking 127.0.0.1:").doesNotContain("to stderr");
        CliProcess stderr = cli("logs", failingRunId, "--stderr");
        assertThat(stderr.awaitExit(QUICK)).isZero();
        assertThat(stderr.output()).contains("to stderr");
        CliProcess cassandra = cli("logs", failingRunId, "--task", "cassandra", "--tail", "200");
        assertThat(cassandra.awaitExit(QUICK)).as(cassandra.output()).isZero();
        assertThat(cassandra.output().length()).isBetween(1, 201);
    }

    @Test
    void ctrlCCancelsTheRunOnTheServiceAndCancelStopsAQueuedOne() throws Exception {
        CliProcess running = cli("run", "--empty", "--test-cmd", "echo tests-started; sleep 353");
        running.awaitOutput("tests-started", RUN_TIMEOUT);
        String runningId = runIdIn(running);
        CliProcess follower = cli("logs", runningId, "-f");
        // maxConcurrent=1: this one waits in the queue behind the running one.
        CliProcess queued = cli("run", "--empty", "--test-cmd", "true");
        queued.awaitOutput(" on http", QUICK);
        String queuedId = runIdIn(queued);

        CliProcess cancel = cli("cancel", queuedId);
        assertThat(cancel.awaitExit(QUICK)).as(cancel.output()).isZero();
        assertThat(cancel.output()).contains("cancel requested: run " + queuedId, "run " + queuedId + " CANCELLED");
        assertThat(queued.awaitExit(QUICK)).as(queued.output()).isEqualTo(130);
        assertThat(queued.output()).contains("CANCELLED");

        running.interrupt();
        assertThat(running.awaitExit(Duration.ofMinutes(2))).as(running.output()).isEqualTo(130);
        assertThat(running.output()).contains("interrupted: cancelling run " + runningId, "CANCELLED",
                "copy deleted, exit code 130");
        CliProcess status = cli("status", runningId);
        assertThat(status.awaitExit(QUICK)).isZero();
        assertThat(status.output()).contains("CANCELLED", "deleted");
        assertThat(follower.awaitExit(QUICK)).as(follower.output()).isZero();
        assertThat(follower.output()).contains("tests-started");
        assertThat(clonesLeft()).as("copies left").isEmpty();
        assertThat(LeftoverProcesses.mentioning("sleep 353")).as("test processes left").isEmpty();
        assertThat(LeftoverProcesses.mentioning(service.workRoot())).as("Cassandra processes left").isEmpty();

        CliProcess again = cli("cancel", runningId);
        assertThat(again.awaitExit(QUICK)).isEqualTo(2);
        assertThat(again.output()).contains("already ended CANCELLED", "HTTP 409");
    }

    @Test
    void aRunSnapciCannotRunExitsThree() throws Exception {
        Path notCassandra = Files.createDirectories(dir.resolve("not-cassandra"));
        Files.writeString(notCassandra.resolve("notes.txt"), "not a data directory");
        CliProcess run = cli("run", "--source-dir", notCassandra.toString(), "--test-cmd", "true");
        assertThat(run.awaitExit(RUN_TIMEOUT)).as(run.output()).isEqualTo(3);
        assertThat(run.output()).contains("ERROR", "not a Cassandra data directory", "exit code 3");
    }

    @Test
    void refusedRequestsExitTwoAndAnUnreachableServiceThreeWithTheServersMessageAndAHint() throws Exception {
        CliProcess wrongToken = cli(Map.of("SNAPCI_TOKEN", "guessed"), "list");
        assertThat(wrongToken.awaitExit(QUICK)).isEqualTo(2);
        assertThat(wrongToken.output()).contains("not accepted", "HTTP 401",
                "hint: give the service's API token with --token").doesNotContain("guessed");

        Path tokenFile = Files.writeString(dir.resolve("ro-token"), LocalServe.READ_ONLY_TOKEN + "\n");
        CliProcess readOnly = cli(Map.of("SNAPCI_TOKEN_FILE", tokenFile.toString()), "run", "--empty",
                "--test-cmd", "true");
        assertThat(readOnly.awaitExit(QUICK)).isEqualTo(2);
        assertThat(readOnly.output()).contains("may only read", "HTTP 403");

        CliProcess badSpec = cli("run", "--source-dir", "/no/such/cassandra", "--test-cmd", "true");
        assertThat(badSpec.awaitExit(QUICK)).isEqualTo(2);
        assertThat(badSpec.output()).contains("no such directory on the snapci server", "field source.dataDir");

        CliProcess noRun = cli("status", "r20990101-000000-0000");
        assertThat(noRun.awaitExit(QUICK)).isEqualTo(2);
        assertThat(noRun.output()).contains("no run with id", "HTTP 404");

        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        CliProcess unreachable = cli("run", "--url", "http://127.0.0.1:" + closedPort, "--empty", "--test-cmd", "true");
        assertThat(unreachable.awaitExit(QUICK)).isEqualTo(3);
        assertThat(unreachable.output()).contains("cannot reach the snapci service at http://127.0.0.1:" + closedPort,
                "(--url): connection refused", "hint: check --url or SNAPCI_URL");

        CliProcess noService = CliProcess.start(dir, CliProcess.scrubbedEnv(Map.of()), "list");
        assertThat(noService.awaitExit(QUICK)).isEqualTo(2);
        assertThat(noService.output()).contains("no snapci service given", "--url");
        CliProcess volumeLocally = CliProcess.start(dir, CliProcess.scrubbedEnv(Map.of()), "run", "--volume", "prod",
                "--test-cmd", "true");
        assertThat(volumeLocally.awaitExit(QUICK)).isEqualTo(2);
        assertThat(volumeLocally.output()).contains("--volume is for runs on a snapci service");
    }

    private CliProcess cli(String... args) throws Exception {
        return cli(Map.of(), args);
    }

    /** The CLI pointed at the service by SNAPCI_URL and SNAPCI_TOKEN, as a CI job configures it. */
    private CliProcess cli(Map<String, String> env, String... args) throws Exception {
        Map<String, String> all = new java.util.HashMap<>(Map.of("SNAPCI_URL", service.baseUri().toString(),
                "SNAPCI_TOKEN", LocalServe.TOKEN));
        all.putAll(env);
        if (env.containsKey("SNAPCI_TOKEN_FILE")) {
            all.remove("SNAPCI_TOKEN");
        }
        return CliProcess.start(dir, CliProcess.scrubbedEnv(all), args);
    }

    private static String runIdIn(CliProcess cli) {
        Matcher m = RUN_ID.matcher(cli.output());
        assertThat(m.find()).as(cli.output()).isTrue();
        return m.group(1);
    }

    private List<Path> clonesLeft() throws Exception {
        if (!Files.exists(service.clones())) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(service.clones())) {
            return entries.toList();
        }
    }
}
