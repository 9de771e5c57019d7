package io.snapci.tests.ui;

import com.fasterxml.jackson.databind.JsonNode;
import io.snapci.tests.support.LocalServe;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * A real {@code snapci serve} (local mode, {@link LocalServe}) and the HTTP calls a CI job would make to it: what
 * the UI shows is submitted through the API, as in production.
 */
final class UiServer implements AutoCloseable {

    final String token = LocalServe.TOKEN;
    private final LocalServe serve;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private UiServer(LocalServe serve) {
        this.serve = serve;
    }

    static UiServer start(Path dir, Map<String, String> extra) throws IOException {
        return new UiServer(LocalServe.start(dir, extra));
    }

    URI base() {
        return serve.baseUri();
    }

    /** The response to a request with (or, {@code withToken} false, without) the bearer token. */
    HttpResponse<String> send(String method, String path, String json, boolean withToken, String... headers)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(base().resolve(path)).timeout(Duration.ofSeconds(30))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        if (withToken) {
            request.header("Authorization", "Bearer " + token);
        }
        if (headers.length > 0) {
            request.headers(headers);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Submits a run; its id. */
    String submit(Map<String, ?> spec) throws Exception {
        HttpResponse<String> reply = send("POST", "v1/runs", DevTools.JSON.writeValueAsString(spec), true);
        if (reply.statusCode() != 201) {
            throw new AssertionError("submitting " + spec + ": " + reply.statusCode() + " " + reply.body());
        }
        return DevTools.JSON.readTree(reply.body()).get("id").asText();
    }

    JsonNode run(String id) throws Exception {
        return DevTools.JSON.readTree(send("GET", "v1/runs/" + id, null, true).body());
    }

    @Override
    public void close() {
        serve.close();
    }
}
