package io.snapci.tests.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.snapci.tests.support.LeftoverProcesses;
import io.snapci.tests.support.LocalServe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The API over real HTTP against a real {@code snapci serve} (local mode, real Cassandra): one passing run, shared
 * by the assertions about events, records, idempotency, logs, JUnit, secrets and metrics; one run cancelled while
 * its tests run and one while it waits in the queue.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiRunsTest {

    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(4);

    @TempDir
    static Path dir;

    private LocalServe server;
    private ApiClient api;
    private JsonNode submitted;
    private String runId;
    private ApiClient.EventStream stream;

    /** Writes a two-test Surefire-style report and dumps its environment, then passes. */
    private static final String PASSING_SUITE = "echo \"suite against $CASSANDRA_HOST:$CASSANDRA_PORT\"; "
            + "env > env-dump.txt; mkdir -p reports; "
            + "echo '<testsuite name=\"shop.CartTest\" tests=\"2\" failures=\"0\">"
            + "<testcase classname=\"shop.CartTest\" name=\"adds\"/><testcase classname=\"shop.CartTest\" "
            + "name=\"removes\"/></testsuite>' > reports/TEST-shop.CartTest.xml";

    private String spec(String clientKey, String testCommand) {
        return """
                {"clientKey": "%s", "testCommand": "%s", "workDir": "%s", "junitGlob": "reports/*.xml",
                 "labels": {"branch": "main", "pipeline": "shop-ci"}}"""
                .formatted(clientKey, testCommand.replace("\\", "\\\\").replace("\"", "\\\""), dir);
    }

    @BeforeAll
    void runOnce() throws Exception {
        server = LocalServe.start(dir, Map.of("runs.maxConcurrent", "1"));
        api = ApiClient.of(server);
        ApiClient.Reply reply = api.post("v1/runs", spec("ci-job-1001", PASSING_SUITE));
        assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
        submitted = reply.json();
        runId = submitted.get("id").asText();
        assertThat(reply.raw().headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).endsWith(
                "/v1/runs/" + runId));
        stream = api.events(runId, RUN_TIMEOUT);
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void theEventStreamDeliversEveryPhaseInOrderAndEndsAtTheTerminalPhase() {
        assertThat(stream.status()).isEqualTo(200);
        assertThat(stream.contentType()).startsWith("text/event-stream");
        List<String> phases = new ArrayList<>();
        stream.events().stream().filter(e -> e.name().equals("phase"))
                .forEach(e -> phases.add(e.json().get("phase").asText()));
        assertThat(phases).containsExactly("QUEUED", "SNAPSHOTTING", "PLACING", "STARTING_CASSANDRA", "TESTING",
                "PASSED");
        assertThat(stream.events().get(0).name()).isEqualTo("status");
        ApiClient.Event last = stream.events().get(stream.events().size() - 1);
        assertThat(last.name()).isEqualTo("end");
        assertThat(last.json().get("phase").asText()).isEqualTo("PASSED");
        assertThat(last.json().get("cleanedUp").asBoolean()).isTrue();
        assertThat(stream.events()).anySatisfy(e -> {
            assertThat(e.name()).isEqualTo("tests");
            assertThat(e.json().get("passed").asInt()).isEqualTo(2);
        });
        assertThat(stream.events()).anySatisfy(e -> {
            assertThat(e.name()).isEqualTo("log");
            assertThat(e.json().get("line").asText()).startsWith("suite against 127.0.0.1:");
        });
        assertThat(stream.events()).anySatisfy(e -> {
            assertThat(e.name()).isEqualTo("progress");
            assertThat(e.json().get("note").asText()).contains("Cassandra ready after");
        });
    }

    @Test
    void theRunRecordSaysPassedWithTestCountsAndNoCopyLeft() throws Exception {
        JsonNode run = api.get("v1/runs/" + runId).json();
        assertThat(run.get("phase").asText()).isEqualTo("PASSED");
        assertThat(run.get("tests").get("tests").asInt()).isEqualTo(2);
        assertThat(run.get("cleanedUp").asBoolean()).isTrue();
        assertThat(run.get("spec").get("labels").get("snapci.clientKey").asText()).isEqualTo("ci-job-1001");
        assertThat(listIn(server.clones())).as("copies left").isEmpty();
    }

    @Test
    void theSameClientKeyTwiceGivesTheSameRunAndADifferentSpecUnderItIsAConflict() throws Exception {
        ApiClient.Reply again = api.post("v1/runs", spec("ci-job-1001", PASSING_SUITE));
        assertThat(again.status()).as(again.toString()).isEqualTo(200);
        assertThat(again.json().get("id").asText()).isEqualTo(runId);

        ApiClient.Reply other = api.post("v1/runs", spec("ci-job-1001", "echo something else"));
        assertThat(other.status()).as(other.toString()).isEqualTo(409);
        assertThat(other.json().get("field").asText()).isEqualTo("clientKey");
        assertThat(other.json().get("message").asText()).contains(runId);
        assertThat(api.get("v1/runs?label=snapci.clientKey=ci-job-1001").json().get("count").asInt()).isEqualTo(1);
    }

    @Test
    void listingFiltersByStateSourceAndLabel() throws Exception {
        assertThat(ids("v1/runs?state=passed")).contains(runId);
        assertThat(ids("v1/runs?state=FAILED,ERROR")).doesNotContain(runId);
        assertThat(ids("v1/runs?label=branch=main&label=pipeline")).contains(runId);
        assertThat(ids("v1/runs?label=branch=release")).doesNotContain(runId);
        assertThat(ids("v1/runs?source=/var/lib/cassandra")).as("a run on an empty Cassandra has no source")
                .doesNotContain(runId);
        ApiClient.Reply typo = api.get("v1/runs?stat=passed");
        assertThat(typo.status()).isEqualTo(400);
        assertThat(typo.json().get("field").asText()).isEqualTo("stat");
    }

    @Test
    void logsOfBothTasksAndTheMergedJUnitAreServedFromTheRunsFiles() throws Exception {
        ApiClient.Reply tests = api.get("v1/runs/" + runId + "/logs?task=tests");
        assertThat(tests.status()).isEqualTo(200);
        assertThat(tests.body()).contains("suite against 127.0.0.1:");
        ApiClient.Reply cassandra = api.get("v1/runs/" + runId + "/logs?task=cassandra");
        assertThat(cassandra.status()).as(cassandra.toString()).isEqualTo(200);
        Path node = server.workRoot().resolve("runs").resolve(runId).resolve("cassandra");
        Path systemLog = node.resolve("cassandra-logs").resolve("system.log");
        String onDisk = Files.readString(Files.exists(systemLog) ? systemLog : node.resolve("cassandra.out"));
        assertThat(cassandra.body()).isNotEmpty().isEqualTo(onDisk);
        ApiClient.Reply tail = api.get("v1/runs/" + runId + "/logs?task=cassandra&tail=50");
        assertThat(tail.body()).isEqualTo(onDisk.substring(onDisk.length() - 50));
        ApiClient.Reply junit = api.get("v1/runs/" + runId + "/junit");
        assertThat(junit.status()).isEqualTo(200);
        assertThat(junit.raw().headers().firstValue("Content-Type")).hasValueSatisfying(t ->
                assertThat(t).startsWith("application/xml"));
        assertThat(junit.body()).contains("<testsuites", "shop.CartTest");
        ApiClient.Reply noTask = api.get("v1/runs/" + runId + "/logs");
        assertThat(noTask.status()).isEqualTo(400);
        assertThat(noTask.json().get("field").asText()).isEqualTo("task");
    }

    @Test
    void theTokenIsInNoRunRecordEventStreamLogOrTestEnvironment() throws Exception {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> all = Files.walk(server.workRoot())) {
            all.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().equals("api-token"))
                    .forEach(files::add);
        }
        files.add(dir.resolve("env-dump.txt"));
        assertThat(dir.resolve("env-dump.txt")).content().contains("SNAPCI_RUN_ID=" + runId);
        for (Path file : files) {
            assertThat(new String(Files.readAllBytes(file))).as(file.toString()).doesNotContain(LocalServe.TOKEN);
        }
        assertThat(stream.text()).doesNotContain(LocalServe.TOKEN);
        assertThat(api.get("v1/runs/" + runId).body()).doesNotContain(LocalServe.TOKEN);
    }

    @Test
    void metricsAreValidPrometheusTextCountingTheRunAndItsPhases() throws Exception {
        ApiClient.Reply reply = api.get("metrics");
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.raw().headers().firstValue("Content-Type")).hasValueSatisfying(t ->
                assertThat(t).startsWith("text/plain").contains("version=0.0.4"));
        PrometheusExposition metrics = PrometheusExposition.parse(reply.body());
        assertThat(metrics.value("snapci_runs_finished_total", Map.of("outcome", "passed"))).isEqualTo(1);
        assertThat(metrics.types).containsEntry("snapci_phase_duration_seconds", "histogram")
                .containsEntry("snapci_runs_queued", "gauge");
        assertThat(metrics.value("snapci_phase_duration_seconds_count", Map.of("phase", "STARTING_CASSANDRA")))
                .isGreaterThanOrEqualTo(1);
    }

    @Test
    void deleteCancelsAQueuedRunAtOnceAndARunningOneLeavingNoCopyAndNoProcess() throws Exception {
        ApiClient.Reply long1 = api.post("v1/runs", spec("ci-job-2001", "echo tests-started; sleep 347"));
        assertThat(long1.status()).as(long1.toString()).isEqualTo(201);
        String running = long1.json().get("id").asText();
        api.awaitPhase(running, RUN_TIMEOUT, "TESTING");
        // runs.maxConcurrent=1: the next one waits in the queue.
        String queued = api.post("v1/runs", spec("ci-job-2002", "true")).json().get("id").asText();
        assertThat(PrometheusExposition.parse(api.get("metrics").body()).value("snapci_runs_queued", Map.of()))
                .isEqualTo(1);

        ApiClient.Reply cancelQueued = api.delete("v1/runs/" + queued);
        assertThat(cancelQueued.status()).as(cancelQueued.toString()).isEqualTo(202);
        JsonNode queuedRun = api.awaitPhase(queued, Duration.ofSeconds(10), "CANCELLED");
        assertThat(queuedRun.get("history")).hasSize(2);  // QUEUED, CANCELLED: it never started

        ApiClient.Reply cancelRunning = api.delete("v1/runs/" + running);
        assertThat(cancelRunning.status()).as(cancelRunning.toString()).isEqualTo(202);
        JsonNode cancelled = api.awaitPhase(running, Duration.ofMinutes(2), "CANCELLED", "ERROR", "PASSED");
        assertThat(cancelled.get("phase").asText()).isEqualTo("CANCELLED");
        assertThat(cancelled.get("cleanedUp").asBoolean()).isTrue();
        assertThat(listIn(server.clones())).as("copies left").isEmpty();
        assertThat(LeftoverProcesses.mentioning("sleep 347")).as("test processes left").isEmpty();
        assertThat(LeftoverProcesses.mentioning(server.workRoot())).as("Cassandra processes left").isEmpty();

        ApiClient.Reply again = api.delete("v1/runs/" + running);
        assertThat(again.status()).isEqualTo(409);
        assertThat(api.delete("v1/runs/r20990101-000000-0000").status()).isEqualTo(404);
    }

    private List<String> ids(String path) throws Exception {
        ApiClient.Reply reply = api.get(path);
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        reply.json().get("runs").forEach(r -> ids.add(r.get("id").asText()));
        return ids;
    }

    private static List<Path> listIn(Path dir) throws Exception {
        if (!Files.exists(dir)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.toList();
        }
    }
}
