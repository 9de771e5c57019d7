package io.snapci.tests.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.snapci.tests.support.LeftoverProcesses;
import io.snapci.tests.support.LocalServe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bad input against a real serve: every malformed or invalid request gets a 4xx whose JSON body names the field
 * and the problem, and nothing is created. A thousand random bodies included.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiBadInputTest {

    @TempDir
    static Path dir;

    private LocalServe server;
    private ApiClient api;

    @BeforeAll
    void start() throws Exception {
        server = LocalServe.start(dir, Map.of());
        api = ApiClient.of(server);
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aThousandRandomBodiesEachGetA4xxNamingTheProblemAndLeaveNothingBehind() throws Exception {
        RunSpecFuzzer fuzzer = new RunSpecFuzzer(20261125L, dir.toString());
        Map<Integer, Integer> statuses = new TreeMap<>();
        for (int i = 0; i < 1000; i++) {
            String body = fuzzer.next();
            ApiClient.Reply reply = api.post("v1/runs", body);
            statuses.merge(reply.status(), 1, Integer::sum);
            String shown = body.length() > 300 ? body.substring(0, 300) + "..." : body;
            assertThat(reply.status()).as("body #%d %s -> %s", i, shown, reply).isBetween(400, 499);
            JsonNode error = reply.json();
            assertThat(error.get("status").asInt()).isEqualTo(reply.status());
            assertThat(error.get("message").asText()).as(shown).isNotBlank();
            if (reply.status() == 400) {
                assertThat(error.get("field").asText()).as("field of %s -> %s", shown, reply).isNotBlank();
            }
        }
        assertThat(statuses.keySet()).as("statuses seen: " + statuses).contains(400, 413);
        assertNothingCreated();
    }

    @Test
    void onOneMachineSnapshotsAndSchedulesAnswerThatThereAreNone() throws Exception {
        for (ApiClient.Reply reply : new ApiClient.Reply[]{api.get("v1/snapshots"), api.get("v1/schedules"),
                api.post("v1/schedules", "{\"name\":\"nightly\",\"volume\":\"prod\",\"every\":\"1h\","
                        + "\"keepLast\":3}")}) {
            assertThat(reply.status()).as(reply.toString()).isEqualTo(409);
            assertThat(reply.json().get("message").asText()).contains("local mode").contains("mode=mesos");
        }
    }

    @Test
    void eachKindOfMistakeNamesItsField() throws Exception {
        Map<String, String> expectations = Map.of(
                "{\"testCommand\": \"true\", \"retries\": 3}", "retries",
                "{\"testCommand\": \"true\", \"cassandra\": {\"heep\": \"1g\"}}", "cassandra.heep",
                "{\"testCommand\": 7}", "testCommand",
                "{\"testCommand\": \"true\", \"timeouts\": {\"run\": \"an hour\"}}", "timeouts.run",
                "{\"testCommand\": \"true\", \"cassandra\": {\"cqlPort\": \"9042\"}}", "cassandra.cqlPort",
                "{\"testCommand\": \"true\", \"env\": {\"9LIVES\": \"x\"}}", "env",
                "{\"testCommand\": \"true\", \"source\": {\"volume\": \"pv-orders\"}}", "source.volume",
                "{\"testCommand\": \"true\", \"workDir\": \"relative/dir\"}", "workDir",
                "{\"env\": {}}", "testCommand",
                "{\"testCommand\": \"true\", \"clientKey\": \" spaces \"}", "clientKey");
        for (Map.Entry<String, String> e : expectations.entrySet()) {
            ApiClient.Reply reply = api.post("v1/runs", e.getKey());
            assertThat(reply.status()).as(e.getKey() + " -> " + reply).isEqualTo(400);
            assertThat(reply.json().get("field").asText()).as(e.getKey() + " -> " + reply).isEqualTo(e.getValue());
        }
        // Stores read unknown fields leniently (a rollback reads newer records); requests stay strict.
        ApiClient.Reply versioned = api.post("v1/runs", "{\"testCommand\": \"true\", \"schemaVersion\": \"1.0\"}");
        assertThat(versioned.status()).isEqualTo(400);
        assertThat(versioned.json().get("field").asText()).isEqualTo("schemaVersion");
        ApiClient.Reply missingTool = api.post("v1/runs", "{\"testCommand\": \"mvnn -B test\", \"workDir\": \""
                + dir + "\"}");
        assertThat(missingTool.json().get("message").asText()).contains("'mvnn'", "not found");
        assertNothingCreated();
    }

    @Test
    void wrongMediaTypeOversizedBodyAndUnknownEndpointsAreJson4xx() throws Exception {
        ApiClient.Reply text = api.send(api.request("v1/runs").header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("{\"testCommand\": \"true\"}")));
        assertThat(text.status()).isEqualTo(415);
        assertThat(text.json().get("message").asText()).contains("application/json");

        ApiClient.Reply huge = api.post("v1/runs", "{\"testCommand\": \"" + "z".repeat(200_000) + "\"}");
        assertThat(huge.status()).isEqualTo(413);
        assertThat(huge.json().get("field").asText()).isEqualTo("body");

        assertThat(api.get("v1/nothing-here").json().get("status").asInt()).isEqualTo(404);
        ApiClient.Reply put = api.send(api.request("v1/runs").PUT(HttpRequest.BodyPublishers.noBody()));
        assertThat(put.status()).isEqualTo(405);
        assertThat(api.get("v1/runs/..%2F..%2Fetc").status()).isEqualTo(404);
        assertThat(api.get("v1/runs?limit=0").json().get("field").asText()).isEqualTo("limit");
        assertThat(api.get("v1/runs?limit=1001").json().get("field").asText()).isEqualTo("limit");
        ApiClient.Reply forged = api.get("v1/runs?after=r20261125-061253-4f2a");
        assertThat(forged.status()).isEqualTo(400);
        assertThat(forged.json().get("field").asText()).isEqualTo("after");
        assertThat(forged.json().get("message").asText()).contains("'next' of the previous page");
        assertThat(api.get("v1/runs?state=RUNNING").json().get("message").asText()).contains("QUEUED");
        assertNothingCreated();
    }

    private void assertNothingCreated() throws Exception {
        assertThat(listIn(server.runRecords())).as("run records").isEmpty();
        assertThat(listIn(server.clones())).as("copies").isEmpty();
        assertThat(listIn(server.workRoot().resolve("runs"))).as("run directories").isEmpty();
        assertThat(LeftoverProcesses.mentioning(server.workRoot())).as("processes").isEmpty();
        long deadline = System.currentTimeMillis() + 5000;
        while (!LeftoverProcesses.childrenOfThisJvm().isEmpty() && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);  // a preflight's bash may be exiting
        }
        assertThat(LeftoverProcesses.childrenOfThisJvm()).as("child processes").isEmpty();
        assertThat(api.get("v1/runs").json().get("count").asInt()).isZero();
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
