package io.snapci.tests.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.snapci.tests.support.LeftoverProcesses;
import io.snapci.tests.support.LocalServe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ConnectException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Graceful shutdown in local mode (what SIGTERM from Marathon triggers): the executing run and the queued one end
 * CANCELLED with their copy and processes gone, an open event stream sees that end, the port closes; a server
 * started again on the same work root knows the runs and their client keys.
 */
class ApiShutdownTest {

    @TempDir
    Path dir;

    @Test
    void shutdownCancelsAndCleansLocalRunsThenARestartKnowsThem() throws Exception {
        LocalServe first = LocalServe.start(dir, Map.of("runs.maxConcurrent", "1"));
        ApiClient api = ApiClient.of(first);
        String running = api.post("v1/runs", "{\"clientKey\": \"job-77\", \"testCommand\": \"echo up; sleep 353\", "
                + "\"workDir\": \"" + dir + "\"}").json().get("id").asText();
        String queued = api.post("v1/runs", "{\"testCommand\": \"true\", \"workDir\": \"" + dir + "\"}").json()
                .get("id").asText();
        api.awaitPhase(running, Duration.ofMinutes(3), "TESTING");
        CompletableFuture<ApiClient.EventStream> events = CompletableFuture.supplyAsync(() -> {
            try {
                return api.events(running, Duration.ofMinutes(2));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(300);  // the stream is open

        first.close();

        ApiClient.EventStream stream = events.get();
        ApiClient.Event last = stream.events().get(stream.events().size() - 1);
        assertThat(last.name()).isEqualTo("end");
        assertThat(last.json().get("phase").asText()).isEqualTo("CANCELLED");
        // The port is closed: a new connection is refused (the client's pooled one may still be half-open).
        assertThatThrownBy(() -> ApiClient.of(first).get("v1/health")).isInstanceOf(ConnectException.class);
        assertThat(LeftoverProcesses.mentioning("sleep 353")).as("test processes").isEmpty();
        assertThat(LeftoverProcesses.mentioning(first.workRoot())).as("Cassandra").isEmpty();
        try (Stream<Path> clones = Files.exists(first.clones()) ? Files.list(first.clones()) : Stream.empty()) {
            assertThat(clones.toList()).as("copies").isEmpty();
        }

        try (LocalServe second = LocalServe.start(dir, Map.of())) {
            ApiClient again = ApiClient.of(second);
            for (String id : new String[]{running, queued}) {
                JsonNode run = again.get("v1/runs/" + id).json();
                assertThat(run.get("phase").asText()).as(id).isEqualTo("CANCELLED");
                assertThat(run.get("cleanedUp").asBoolean()).as(id).isTrue();
            }
            ApiClient.Reply retried = again.post("v1/runs", "{\"clientKey\": \"job-77\", \"testCommand\": "
                    + "\"echo up; sleep 353\", \"workDir\": \"" + dir + "\"}");
            assertThat(retried.status()).as(retried.toString()).isEqualTo(200);
            assertThat(retried.json().get("id").asText()).isEqualTo(running);
        }
    }
}
