package io.snapci.tests.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.snapci.tests.support.LocalServe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The audit log through serve on loopback: who submitted and who cancelled which run, each under their own
 * token's identity and never the token; how each run ended, under its submitter's name; the filters; and the
 * strict parameters. The runs end before Cassandra is needed (a source with no Cassandra files, a cancel), so no node boots.
 */
class ApiAuditTest {

    private static final String ALICE = "tok-alice-3d1f8a";
    private static final String BOB = "tok-bob-77c0e2";

    @TempDir
    Path dir;

    @Test
    void runsByTwoTokensAndACancelAreRecordedWithTheirIdentitiesAndNoToken() throws Exception {
        // An empty directory passes the submit checks and fails the copy: the run ends ERROR at once.
        Path missing = Files.createDirectories(dir.resolve("empty-production"));
        Path source = Files.createDirectories(dir.resolve("production"));
        Files.createDirectories(source.resolve("system/local-7ad54392bcdd35a684174e047860b377"));
        Files.createDirectories(source.resolve("system_schema/keyspaces-abac5682dea631c5b535b3d6cffd0fb6"));
        try (LocalServe server = LocalServe.start(dir, Map.of("auth.tokens", ALICE + "," + BOB))) {
            ApiClient alice = new ApiClient(server.baseUri(), ALICE);
            ApiClient bob = new ApiClient(server.baseUri(), BOB);

            String first = created(alice.post("v1/runs", spec(missing)));
            String second = created(bob.post("v1/runs", spec(missing)));
            awaitEnd(alice, first);
            awaitEnd(alice, second);
            String cancelled = created(alice.post("v1/runs", spec(source)));
            ApiClient.Reply cancel = bob.delete("v1/runs/" + cancelled);
            assertThat(cancel.status()).as(cancel.toString()).isEqualTo(202);
            awaitEnd(alice, cancelled);
            JsonNode all = awaitEntries(alice, "", 7);

            List<String> lines = new ArrayList<>();
            all.get("entries").forEach(e -> lines.add(e.get("action").asText() + " " + e.get("runId").asText()
                    + " by " + e.get("who").asText() + " -> " + e.path("outcome").asText()));
            assertThat(lines).contains(
                    "RUN_SUBMITTED " + first + " by token#1 -> ACCEPTED",
                    "RUN_SUBMITTED " + second + " by token#2 -> ACCEPTED",
                    "RUN_FINISHED " + first + " by token#1 -> ERROR",
                    "RUN_FINISHED " + second + " by token#2 -> ERROR",
                    "RUN_SUBMITTED " + cancelled + " by token#1 -> ACCEPTED",
                    "RUN_CANCELLED " + cancelled + " by token#2 -> CANCELLING",
                    "RUN_FINISHED " + cancelled + " by token#1 -> CANCELLED");
            assertThat(all.get("entries").get(0).get("sources").get(0).asText()).isEqualTo(missing.toString());

            JsonNode byBob = alice.get("v1/audit?who=token%232").json();
            assertThat(byBob.get("entries")).allMatch(e -> e.get("who").asText().equals("token#2"));
            assertThat(byBob.get("count").asInt()).isEqualTo(3);
            JsonNode bySource = alice.get("v1/audit?source=" + enc(source.toString())).json();
            assertThat(bySource.get("entries")).hasSize(3)
                    .allMatch(e -> e.get("runId").asText().equals(cancelled));
            assertThat(alice.get("v1/audit?since=2100-01-01T00:00:00Z").json().get("count").asInt()).isZero();
            assertThat(alice.get("v1/audit?limit=2").json().get("entries")).hasSize(2);

            String everything = all + Files.readString(server.workRoot().resolve("audit/audit.jsonl"));
            assertThat(everything).doesNotContain(ALICE).doesNotContain(BOB)
                    .doesNotContain(LocalServe.READ_ONLY_TOKEN);
        }
    }

    @Test
    void aBadParameterIsA400NamingIt() throws Exception {
        try (LocalServe server = LocalServe.start(dir, Map.of())) {
            ApiClient api = ApiClient.of(server);
            ApiClient.Reply since = api.get("v1/audit?since=yesterday");
            assertThat(since.status()).isEqualTo(400);
            assertThat(since.json().get("field").asText()).isEqualTo("since");
            assertThat(since.json().get("message").asText()).contains("ISO-8601").contains("'yesterday'");
            ApiClient.Reply limit = api.get("v1/audit?limit=0");
            assertThat(limit.status()).isEqualTo(400);
            assertThat(limit.json().get("field").asText()).isEqualTo("limit");
            ApiClient.Reply unknown = api.get("v1/audit?user=x");
            assertThat(unknown.status()).isEqualTo(400);
            assertThat(unknown.json().get("field").asText()).isEqualTo("user");
            assertThat(api.get("v1/audit").json().get("count").asInt()).isZero();
        }
    }

    private static String enc(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    private static String spec(Path source) {
        return "{\"source\": {\"dataDir\": \"" + source + "\"}, \"testCommand\": \"true\"}";
    }

    private static String created(ApiClient.Reply reply) {
        assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
        return reply.json().get("id").asText();
    }

    /** The run's end is audited after its copy is gone, a moment after the API shows it ended. */
    private static JsonNode awaitEntries(ApiClient api, String query, int count) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        JsonNode body;
        do {
            body = api.get("v1/audit" + query).json();
            if (body.get("count").asInt() >= count) {
                return body;
            }
            Thread.sleep(100);
        } while (Instant.now().isBefore(deadline));
        throw new AssertionError("expected " + count + " audit entries, got " + body);
    }

    private static void awaitEnd(ApiClient api, String id) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
        while (Instant.now().isBefore(deadline)) {
            JsonNode run = api.get("v1/runs/" + id).json();
            if (run.get("cleanedUp").asBoolean() && List.of("PASSED", "FAILED", "ERROR", "CANCELLED")
                    .contains(run.get("phase").asText())) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("run " + id + " did not end");
    }
}
