package io.snapci.tests.mesos;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One agent's {@code /files/read} endpoint (mesos 1.11 docs/endpoints/files/read.md; src/files/files.cpp): query
 * {@code path} (a virtual path the agent attached), {@code offset} and {@code length}; answers
 * {@code {"data": ..., "offset": ...}}, 400 when {@code path} or a number is missing or malformed, 404 for a path not
 * attached. The agent attaches each executor's sandbox at {@code /frameworks/F/executors/E/runs/latest}
 * (src/slave/paths.cpp {@code getExecutorVirtualPath}); the default executor's tasks live under {@code tasks/T/}.
 * The files are what a story puts there: what a task would have written into its sandbox.
 */
final class AgentFilesServer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final Map<String, byte[]> files = new ConcurrentHashMap<>();

    AgentFilesServer() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/files/read", this::read);
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    static String taskSandbox(String frameworkId, String executorId, String taskId) {
        return "/frameworks/" + frameworkId + "/executors/" + executorId + "/runs/latest/tasks/" + taskId;
    }

    void put(String virtualPath, String content) {
        files.put(virtualPath, content.getBytes(StandardCharsets.UTF_8));
    }

    private void read(HttpExchange exchange) throws IOException {
        try (exchange) {
            Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
            String path = query.get("path");
            if (path == null) {
                answer(exchange, 400, "text/plain", "Expecting 'path=value' in query.\n");
                return;
            }
            long offset;
            long length;
            try {
                offset = Long.parseLong(query.getOrDefault("offset", "-1"));
                length = Long.parseLong(query.getOrDefault("length", "-1"));
            } catch (NumberFormatException e) {
                answer(exchange, 400, "text/plain", "Failed to parse offset or length: " + e.getMessage() + "\n");
                return;
            }
            byte[] content = files.get(path);
            if (content == null) {
                answer(exchange, 404, "text/plain", "");
                return;
            }
            Map<String, Object> body = new LinkedHashMap<>();
            if (offset < 0) {
                // files.cpp: a negative offset asks for the file's size only.
                body.put("data", "");
                body.put("offset", content.length);
            } else {
                int from = (int) Math.min(offset, content.length);
                int to = length < 0 ? content.length : (int) Math.min(content.length, from + length);
                body.put("data", new String(content, from, to - from, StandardCharsets.UTF_8));
                body.put("offset", from);
            }
            answer(exchange, 200, "application/json", JSON.writeValueAsString(body));
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> query = new LinkedHashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    query.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return query;
    }

    private static void answer(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
