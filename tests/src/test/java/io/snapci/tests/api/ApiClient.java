package io.snapci.tests.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.snapci.tests.support.LocalServe;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A plain HTTP client for the API, as a CI job would use it: JSON in, JSON (or text, or events) out. */
public final class ApiClient {

    public static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final String token;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public ApiClient(URI base, String token) {
        this.base = base;
        this.token = token;
    }

    /** A client of {@code serve} with its full-access token. */
    static ApiClient of(LocalServe serve) {
        return of(serve, LocalServe.TOKEN);
    }

    /** A client of {@code serve} sending {@code token} (none when null). */
    static ApiClient of(LocalServe serve, String token) {
        return new ApiClient(serve.baseUri(), token);
    }

    /** A response: status, body text, and the body as JSON when it is JSON. */
    public record Reply(int status, String body, HttpResponse<String> raw) {
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON (" + status + "): " + body, e);
            }
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }

    public Reply get(String path) throws Exception {
        return send(request(path).GET());
    }

    public Reply delete(String path) throws Exception {
        return send(request(path).DELETE());
    }

    public Reply post(String path, String json) throws Exception {
        return send(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    /**
     * The run's record once the run has ended and its copy is gone ({@code cleanedUp}), or as it is when
     * {@code wait} has passed: the caller asserts what it expects of it.
     */
    public JsonNode runOnceCleanedUp(String runId, Duration wait) throws Exception {
        long deadline = System.nanoTime() + wait.toNanos();
        JsonNode run = get("v1/runs/" + runId).json();
        while (!run.path("cleanedUp").asBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(100);
            run = get("v1/runs/" + runId).json();
        }
        return run;
    }

    Reply send(HttpRequest.Builder request) throws Exception {
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(response.statusCode(), response.body(), response);
    }

    HttpRequest.Builder request(String path) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30));
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        return builder;
    }

    /** One server-sent event as received. */
    record Event(String name, String data) {
        JsonNode json() {
            try {
                return JSON.readTree(data);
            } catch (IOException e) {
                throw new AssertionError("event data is not JSON: " + data, e);
            }
        }
    }

    /** The raw stream text and its events, read until the server closes it (or {@code timeout}). */
    record EventStream(int status, String contentType, String text, List<Event> events) {
    }

    EventStream events(String runId, Duration timeout) throws Exception {
        HttpResponse<InputStream> response = http.send(request("v1/runs/" + runId + "/events")
                .timeout(timeout).header("Accept", "text/event-stream").GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
        StringBuilder text = new StringBuilder();
        List<Event> events = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String name = "message";
            StringBuilder data = new StringBuilder();
            for (String line; System.nanoTime() < deadline && (line = in.readLine()) != null; ) {
                text.append(line).append('\n');
                if (line.isEmpty()) {
                    if (data.length() > 0) {
                        events.add(new Event(name, data.toString()));
                    }
                    name = "message";
                    data.setLength(0);
                } else if (line.startsWith("event:")) {
                    name = line.substring(6).strip();
                } else if (line.startsWith("data:")) {
                    data.append(data.length() > 0 ? "\n" : "").append(line.substring(5).strip());
                }
            }
        }
        return new EventStream(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                text.toString(), events);
    }

    /** Polls the run until it is in one of {@code phases}; returns its record. */
    JsonNode awaitPhase(String runId, Duration timeout, String... phases) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode run = null;
        while (System.nanoTime() < deadline) {
            run = get("v1/runs/" + runId).json();
            for (String phase : phases) {
                if (phase.equals(run.path("phase").asText())) {
                    return run;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("run " + runId + " never reached " + String.join("/", phases) + "; last: " + run);
    }
}
