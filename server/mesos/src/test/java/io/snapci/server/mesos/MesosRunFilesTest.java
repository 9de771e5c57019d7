package io.snapci.server.mesos;

import com.sun.net.httpserver.HttpServer;
import io.snapci.model.Phase;
import io.snapci.model.Placement;
import io.snapci.model.RunSpec;
import io.snapci.model.RunStatus;
import io.snapci.scheduler.core.testkit.InMemoryFrameworkIdStore;
import io.snapci.scheduler.core.testkit.InMemoryRunStore;
import io.snapci.scheduler.mesos.sandbox.AgentFiles;
import io.snapci.scheduler.mesos.transport.Authenticator;
import io.snapci.server.runs.RunFiles;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Retention's side of a cluster run's files: the copies fetched from its sandboxes go, nobody else's. */
class MesosRunFilesTest {

    @TempDir
    Path cache;

    private HttpServer agent;
    private final InMemoryRunStore runs = new InMemoryRunStore();
    private final InMemoryFrameworkIdStore frameworkIds = new InMemoryFrameworkIdStore();

    /**
     * An agent's {@code /files/read} as Mesos answers it (src/files/files.cpp: 200 with {@code {"data", "offset"}},
     * the bytes from {@code offset}, none past the end), here the same text for every path.
     */
    @BeforeEach
    void startAgent() throws Exception {
        agent = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        agent.createContext("/files/read", exchange -> {
            String query = exchange.getRequestURI().getQuery();
            int offset = Integer.parseInt(query.replaceAll(".*offset=(\\d+).*", "$1"));
            String file = "a log line\\n";
            String data = offset >= "a log line\n".length() ? "" : file;
            byte[] body = ("{\"data\":\"" + data + "\",\"offset\":" + offset + "}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        agent.start();
        frameworkIds.save("fw-1");
    }

    @AfterEach
    void stopAgent() {
        agent.stop(0);
    }

    private void placed(String runId) {
        RunStatus run = RunStatus.queued(runId, new RunSpec(null, "true", "maven:3.9", null, null, "*.xml", null,
                null, null), Instant.parse("2026-11-25T06:00:00Z"));
        runs.save(run.withPhase(Phase.SNAPSHOTTING, null, run.createdAt()).withPhase(Phase.PLACING, null,
                run.createdAt()).withPlacement(new Placement("a1", "ci-agent-1", 1,
                "http://127.0.0.1:" + agent.getAddress().getPort())));
    }

    @Test
    void deletingARunsFilesRemovesEveryCopyFetchedForItAndNoOtherRunsCopies() throws Exception {
        MesosRunFiles files = new MesosRunFiles(runs, frameworkIds, new AgentFiles(HttpClient.newHttpClient(),
                Authenticator.none(), Duration.ofSeconds(5)), cache);
        // r1 and a run whose id starts like it: a prefix match would take the other's files too.
        for (String id : List.of("r1", "r1.5")) {
            placed(id);
            assertThat(files.log(id, RunFiles.Task.TESTS, false)).isPresent();
            assertThat(files.log(id, RunFiles.Task.TESTS, true)).isPresent();
            assertThat(files.log(id, RunFiles.Task.CASSANDRA, false)).isPresent();
            assertThat(files.junit(id)).isPresent();
        }
        Path unrelated = Files.writeString(cache.resolve("r1.notes"), "not a fetched copy");
        assertThat(names()).hasSize(9);

        files.delete("r1");

        assertThat(names()).containsExactlyInAnyOrder("r1.5.tests.stdout", "r1.5.tests.stderr",
                "r1.5.cassandra.stdout", "r1.5.tests.snapci-junit.xml", unrelated.getFileName().toString());
        files.delete("r1");   // nothing left to delete is not a failure
        files.delete("never-ran");
    }

    private List<String> names() throws Exception {
        try (Stream<Path> entries = Files.list(cache)) {
            return entries.map(p -> p.getFileName().toString()).toList();
        }
    }
}
