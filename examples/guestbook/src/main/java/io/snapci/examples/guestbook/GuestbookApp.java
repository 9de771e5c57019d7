package io.snapci.examples.guestbook;

import com.datastax.oss.driver.api.core.CqlSession;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The guestbook's HTTP API, on the JDK's own HTTP server:
 * <ul>
 *   <li>{@code GET /entries}: every entry, newest first, as a JSON array (see {@link EntriesJson});</li>
 *   <li>{@code POST /entries} with {@code {"author": "...", "message": "..."}}: signs the guestbook, answers
 *       201 with the new entry.</li>
 * </ul>
 * {@code main} connects to the Cassandra the environment names (see {@link Cassandra}), applies the schema and
 * listens on {@code PORT} (default 8080).
 */
public final class GuestbookApp implements AutoCloseable {

    private static final int MAX_BODY_BYTES = 64 * 1024;
    private static final String JSON = "application/json; charset=utf-8";

    /** What POST /entries accepts. */
    record NewEntry(String author, String message) {
    }

    private final EntryRepository entries;
    private final ObjectMapper mapper = new ObjectMapper();
    private final HttpServer server;
    private final ExecutorService executor;

    private GuestbookApp(EntryRepository entries, HttpServer server, ExecutorService executor) {
        this.entries = entries;
        this.server = server;
        this.executor = executor;
    }

    /** Starts the API on {@code port} (0: any free port) of all interfaces. */
    public static GuestbookApp start(EntryRepository entries, int port) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(port), 0);
        ExecutorService executor = Executors.newFixedThreadPool(4);
        GuestbookApp app = new GuestbookApp(entries, server, executor);
        server.createContext("/entries", app::handle);
        server.setExecutor(executor);
        server.start();
        return app;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdown();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try {
            if (!exchange.getRequestURI().getPath().equals("/entries")) {
                respond(exchange, 404, "{\"error\":\"not found\"}");
                return;
            }
            switch (exchange.getRequestMethod()) {
                case "GET" -> respond(exchange, 200, EntriesJson.render(entries.findAll()));
                case "POST" -> post(exchange);
                default -> {
                    exchange.getResponseHeaders().set("Allow", "GET, POST");
                    respond(exchange, 405, "{\"error\":\"method not allowed\"}");
                }
            }
        } catch (RuntimeException e) {
            System.err.println("guestbook: " + exchange.getRequestMethod() + " " + exchange.getRequestURI()
                    + " failed: " + e);
            respondQuietly(exchange, 500, "{\"error\":\"internal error\"}");
        } finally {
            exchange.close();
        }
    }

    private void post(HttpExchange exchange) throws IOException {
        NewEntry request;
        try (InputStream body = exchange.getRequestBody()) {
            byte[] bytes = body.readNBytes(MAX_BODY_BYTES + 1);
            if (bytes.length > MAX_BODY_BYTES) {
                respond(exchange, 413, "{\"error\":\"body too large\"}");
                return;
            }
            request = mapper.readValue(bytes, NewEntry.class);
        } catch (JsonProcessingException e) {
            respond(exchange, 400, "{\"error\":\"expected a JSON object with author and message\"}");
            return;
        }
        if (request == null || isBlank(request.author()) || isBlank(request.message())) {
            respond(exchange, 400, "{\"error\":\"author and message are required\"}");
            return;
        }
        Entry entry = entries.add(request.author().strip(), request.message().strip());
        respond(exchange, 201, EntriesJson.render(entry));
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }

    private static void respond(HttpExchange exchange, int status, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", JSON);
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private static void respondQuietly(HttpExchange exchange, int status, String json) {
        try {
            respond(exchange, status, json);
        } catch (IOException | RuntimeException ignored) {
            // headers were already sent, or the client is gone: nothing more to tell it
        }
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(System.getenv().getOrDefault("PORT", "8080"));
        Cassandra cassandra = Cassandra.fromEnvironment();
        CqlSession session = cassandra.connect();
        Cassandra.applySchema(session);
        GuestbookApp app = start(new EntryRepository(session), port);
        System.out.println("guestbook: listening on http://localhost:" + app.port() + "/entries (Cassandra at "
                + cassandra.host() + ":" + cassandra.port() + ")");
        // The server's threads keep the JVM running; Ctrl-C or SIGTERM stops it.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            app.close();
            session.close();
        }, "guestbook-shutdown"));
    }
}
