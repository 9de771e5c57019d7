package io.snapci.scheduler.mesos.sandbox;

import com.sun.net.httpserver.HttpServer;
import io.snapci.model.Json;
import io.snapci.scheduler.mesos.transport.Authenticator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** Reading a sandbox file as a real agent serves it: at most 64 KiB per /files/read (src/files/files.cpp). */
class AgentFilesTest {

    private HttpServer agent;
    private final List<String> asked = new CopyOnWriteArrayList<>();
    private final String file = "x".repeat(150 * 1024 - 3) + "end";

    @BeforeEach
    void startAgent() throws Exception {
        agent = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        agent.createContext("/files/read", exchange -> {
            String query = exchange.getRequestURI().getQuery();
            asked.add(query);
            int offset = Integer.parseInt(query.replaceAll(".*offset=(\\d+).*", "$1"));
            int length = Math.min(64 * 1024, Integer.parseInt(query.replaceAll(".*length=(\\d+).*", "$1")));
            String data = offset >= file.length() ? "" : file.substring(offset, Math.min(file.length(), offset + length));
            byte[] body = Json.mapper().writeValueAsBytes(Map.of("data", data, "offset", offset));
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        agent.start();
    }

    @AfterEach
    void stop() {
        agent.stop(0);
    }

    private AgentFiles files() {
        return new AgentFiles(HttpClient.newHttpClient(), Authenticator.none(), Duration.ofSeconds(5));
    }

    private URI agentUri() {
        return URI.create("http://127.0.0.1:" + agent.getAddress().getPort());
    }

    @Test
    void aFileLongerThanOnePageIsReadPageByPageToItsEnd() throws Exception {
        String read = files().read(agentUri(), "/frameworks/f/executors/e/runs/latest/tasks/t/stdout", 1 << 20)
                .orElseThrow();

        assertThat(read).hasSize(file.length()).endsWith("end");
        assertThat(asked).hasSize(3).allMatch(q -> q.contains("length=65536"));
        assertThat(asked.get(2)).contains("offset=131072");
    }

    @Test
    void aReadStopsAtItsLimit() throws Exception {
        String read = files().read(agentUri(), "/frameworks/f/x", 70_000).orElseThrow();

        assertThat(read.getBytes(StandardCharsets.UTF_8)).hasSize(70_000);
        assertThat(asked).hasSize(2);
        assertThat(asked.get(1)).contains("offset=65536").contains("length=4464");
    }
}
