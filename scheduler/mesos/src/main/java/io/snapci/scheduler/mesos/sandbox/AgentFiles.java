package io.snapci.scheduler.mesos.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import io.snapci.model.Json;
import io.snapci.scheduler.mesos.transport.Authenticator;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * Reads files from a task's sandbox through the agent's files API (mesos docs/endpoints/files/read.md):
 * {@code GET <agent>/files/read?path=<virtual path>&offset=0&length=<max>} answers {@code {"data", "offset"}}, 404
 * for a path the agent does not have. The executor's sandbox is attached at
 * {@code /frameworks/F/executors/E/runs/latest} (src/slave/paths.cpp, getExecutorVirtualPath); a task of the
 * default executor has its own sandbox under {@code tasks/T/} there. In strict mode agents want the same
 * {@code Authorization} as the master.
 */
public final class AgentFiles {

    private final HttpClient http;
    private final Authenticator authenticator;
    private final Duration timeout;

    public AgentFiles(HttpClient http, Authenticator authenticator, Duration timeout) {
        this.http = http;
        this.authenticator = authenticator;
        this.timeout = timeout;
    }

    /** The virtual path of a file in a default-executor task's sandbox. */
    public static String taskFile(String frameworkId, String executorId, String taskId, String name) {
        return "/frameworks/" + frameworkId + "/executors/" + executorId + "/runs/latest/tasks/" + taskId + "/"
                + name;
    }

    /**
     * The most one {@code /files/read} answers: the agent caps {@code length} at 64 KiB per call
     * (src/files/files.cpp:679-680), so a longer read goes page by page.
     */
    static final int PAGE_BYTES = 64 * 1024;

    /**
     * The file's first {@code maxBytes}, or empty when the agent has no such file.
     *
     * @param agent the agent's base URL, e.g. {@code http://10.0.3.7:5051}
     */
    public Optional<String> read(URI agent, String virtualPath, int maxBytes) throws IOException {
        StringBuilder content = new StringBuilder();
        long offset = 0;
        while (offset < maxBytes) {
            int length = (int) Math.min(PAGE_BYTES, maxBytes - offset);
            Optional<String> page = readPage(agent, virtualPath, offset, length);
            if (page.isEmpty()) {
                return offset == 0 ? Optional.empty() : Optional.of(content.toString());
            }
            String data = page.get();
            if (data.isEmpty()) {
                break;  // the end of the file
            }
            content.append(data);
            int read = data.getBytes(StandardCharsets.UTF_8).length;
            offset += read;
            if (read < length) {
                break;  // a short page is the end of the file (files.cpp reads up to length)
            }
        }
        return Optional.of(content.toString());
    }

    /**
     * At most one page of the file from byte {@code offset} on (empty text at its end), or empty when the agent has
     * no such file: what a reader that follows a growing file (a task's stdout) asks for.
     */
    public Optional<String> readFrom(URI agent, String virtualPath, long offset) throws IOException {
        return readPage(agent, virtualPath, offset, PAGE_BYTES);
    }

    private Optional<String> readPage(URI agent, String virtualPath, long offset, int length) throws IOException {
        URI uri = agent.resolve("/files/read?path=" + URLEncoder.encode(virtualPath, StandardCharsets.UTF_8)
                + "&offset=" + offset + "&length=" + length);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout).GET()
                .header("Accept", "application/json");
        authenticator.authorizationHeader().ifPresent(value -> request.header("Authorization", value));
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted reading " + virtualPath + " from " + agent);
        }
        if (response.statusCode() == 404) {
            return Optional.empty();
        }
        if (response.statusCode() != 200) {
            throw new IOException("agent " + agent + " answered HTTP " + response.statusCode() + " for "
                    + virtualPath + ": " + response.body());
        }
        JsonNode body = Json.mapper().readTree(response.body());
        if (!body.path("data").isTextual()) {
            throw new IOException("agent " + agent + " answered without data for " + virtualPath);
        }
        return Optional.of(body.get("data").asText());
    }
}
