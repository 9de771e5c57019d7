package io.snapci.tests.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.snapci.cli.remote.RunEventListener;
import io.snapci.cli.remote.RunFollower;
import io.snapci.cli.remote.ServiceEndpoint;
import io.snapci.cli.remote.SnapciApi;
import io.snapci.model.RunStatus;
import io.snapci.tests.support.CuttingProxy;
import io.snapci.tests.support.LocalServe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.HttpURLConnection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Event streams that break and resume with Last-Event-ID, over real loopback HTTP connections to a real serve: the
 * test command's lines come neither lost nor twice, the phases are not repeated, and the CLI's follower resumes the
 * same way through a connection that is cut under it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EventStreamResumeTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int LINES = 240;
    /** 240 lines over about 5 s, with a pause in the middle while the tests below are disconnected. */
    private static final String TEST_COMMAND = "for i in $(seq 1 " + LINES + "); do echo \"line $i\";"
            + " if [ $i -eq 60 ]; then sleep 2; else sleep 0.01; fi; done";

    @TempDir
    static Path dir;

    private LocalServe server;
    private ApiClient api;

    @BeforeAll
    void serve() throws Exception {
        server = LocalServe.start(dir, Map.of("runs.maxConcurrent", "2"));
        api = ApiClient.of(server);
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private String submit(String clientKey) throws Exception {
        ApiClient.Reply reply = api.post("v1/runs", """
                {"clientKey": "%s", "testCommand": "%s", "workDir": "%s"}"""
                .formatted(clientKey, TEST_COMMAND.replace("\"", "\\\""), dir));
        assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
        return reply.json().get("id").asText();
    }

    record Event(String id, String name, JsonNode data) {
    }

    /** Reads a run's stream over its own connection until {@code stop} says so or the server closes it. */
    private List<Event> read(String runId, String lastEventId, Predicate<List<Event>> stop) throws Exception {
        HttpURLConnection connection = (HttpURLConnection) server.baseUri().resolve("v1/runs/" + runId + "/events")
                .toURL().openConnection();
        connection.setRequestProperty("Authorization", "Bearer " + LocalServe.TOKEN);
        connection.setRequestProperty("Accept", "text/event-stream");
        connection.setReadTimeout(60_000);
        if (lastEventId != null) {
            connection.setRequestProperty("Last-Event-ID", lastEventId);
        }
        List<Event> events = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(connection.getInputStream(),
                StandardCharsets.UTF_8))) {
            String id = null;
            String name = "message";
            StringBuilder data = new StringBuilder();
            for (String line; (line = in.readLine()) != null; ) {
                if (line.isEmpty()) {
                    if (data.length() > 0) {
                        events.add(new Event(id, name, JSON.readTree(data.toString())));
                        if (stop.test(events)) {
                            break;
                        }
                    }
                    id = null;
                    name = "message";
                    data.setLength(0);
                } else if (line.startsWith("id:")) {
                    id = line.substring(3).strip();
                } else if (line.startsWith("event:")) {
                    name = line.substring(6).strip();
                } else if (line.startsWith("data:")) {
                    data.append(line.substring(5).strip());
                }
            }
        } finally {
            connection.disconnect();  // mid-stream: the client is gone, as when a proxy or the network drops it
        }
        return events;
    }

    private static List<String> logLines(List<Event> events) {
        return events.stream().filter(e -> e.name().equals("log")).map(e -> e.data().path("line").asText()).toList();
    }

    private static List<String> phases(List<Event> events) {
        return events.stream().filter(e -> e.name().equals("phase")).map(e -> e.data().path("phase").asText()).toList();
    }

    private static List<String> allLines() {
        return IntStream.rangeClosed(1, LINES).mapToObj(i -> "line " + i).toList();
    }

    /**
     * One run, three clients: one drops early and comes back after the run ended, one drops mid-run and comes back
     * while it is live, one comes back with the id of another process; then a malformed id.
     */
    @Test
    void streamsDroppedAndResumedWithLastEventIdGetEveryLineOnceAndNoPhaseTwice() throws Exception {
        String runId = submit("resume");
        // Both open while Cassandra boots, before the first line.
        java.util.concurrent.CompletableFuture<List<Event>> earlyClient = java.util.concurrent.CompletableFuture
                .supplyAsync(() -> {
                    try {
                        return read(runId, null, events -> logLines(events).contains("line 10"));
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
        List<Event> first = read(runId, null, events -> logLines(events).contains("line 30"));
        List<Event> early = earlyClient.get(1, java.util.concurrent.TimeUnit.MINUTES);
        assertThat(first).allSatisfy(e -> assertThat(e.id()).as(e.name() + " has an id").isNotBlank());
        Thread.sleep(1500);  // lines are written while nobody listens

        // Back while the run is live.
        List<Event> second = read(runId, last(first).id(), events -> last(events).name().equals("end"));
        assertThat(second.get(0).name()).as("a resumed stream opens with the run as it is").isEqualTo("status");
        assertThat(logLines(second).get(0)).isEqualTo("line 31");
        assertThat(concat(logLines(first), logLines(second))).containsExactlyElementsOf(allLines());
        assertThat(concat(phases(first), phases(second))).as("each phase once").doesNotHaveDuplicates()
                .containsSubsequence("QUEUED", "STARTING_CASSANDRA", "TESTING", "PASSED");
        assertThat(last(second).data().path("droppedLogLines").asLong()).isZero();

        // Back after the run ended: the lines it missed, then the end.
        List<Event> late = read(runId, last(early).id(), events -> false);
        assertThat(concat(logLines(early), logLines(late))).containsExactlyElementsOf(allLines());
        assertThat(last(late).name()).isEqualTo("end");
        assertThat(last(late).data().path("phase").asText()).isEqualTo("PASSED");
        assertThat(concat(phases(early), phases(late))).doesNotHaveDuplicates().endsWith("PASSED");

        // With the end's own id nothing comes after it; the counts may come again (they are idempotent).
        List<Event> again = read(runId, last(late).id(), events -> false);
        assertThat(logLines(again)).isEmpty();
        assertThat(again).extracting(Event::name).filteredOn(name -> !name.equals("tests"))
                .containsExactly("status", "end");

        // An id of another process: its phases are not sent again, and the stream says it cannot replay.
        List<Event> foreign = read(runId, "zz0000-5-2", events -> false);
        assertThat(foreign).anySatisfy(e -> assertThat(e.data().path("note").asText())
                .contains("another snapci process", "GET /v1/runs/" + runId + "/logs"));
        assertThat(phases(foreign)).as("the 2 phases it had are not sent again").doesNotContain("QUEUED")
                .endsWith("PASSED");

        ApiClient.Reply bad = api.send(api.request("v1/runs/" + runId + "/events").header("Last-Event-ID", "yesterday")
                .GET());
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().path("field").asText()).isEqualTo("Last-Event-ID");
    }

    private static Event last(List<Event> events) {
        return events.get(events.size() - 1);
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    @Test
    void theCliFollowerResumesThroughAConnectionCutUnderIt() throws Exception {
        String runId = submit("resume-cli");
        try (CuttingProxy proxy = new CuttingProxy(server.baseUri(), 6_000)) {
            SnapciApi client = new SnapciApi(new ServiceEndpoint(proxy.uri(), LocalServe.TOKEN, false, null,
                    "--url", false));
            List<String> lines = Collections.synchronizedList(new ArrayList<>());
            List<String> phases = Collections.synchronizedList(new ArrayList<>());
            List<String> losses = Collections.synchronizedList(new ArrayList<>());
            RunStatus ended = new RunFollower(client, new RunEventListener() {
                @Override
                public void phase(String phase, String message) {
                    phases.add(phase);
                }

                @Override
                public void progress(String note) {
                }

                @Override
                public void tests(String summary) {
                }

                @Override
                public void log(boolean stderr, String line) {
                    lines.add(line);
                }

                @Override
                public void streamLost(String why, Duration retryIn) {
                    losses.add(why);
                }
            }, Duration.ofMinutes(1)).follow(runId);

            assertThat(proxy.cut()).as("the proxy cut the first stream").isTrue();
            assertThat(losses).hasSize(1);
            assertThat(lines).containsExactlyElementsOf(allLines());
            assertThat(phases).doesNotHaveDuplicates().endsWith("PASSED");
            assertThat(ended.phase().name()).isEqualTo("PASSED");
        }
    }
}
