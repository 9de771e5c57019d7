package io.snapci.tests.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.snapci.tests.support.HttpReplies;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What DC/OS's Admin Router does for a service, in front of a local serve: {@code /service/<name>/...} is proxied to
 * the service with the prefix removed and the {@code Authorization} header passed on unchanged; a request without
 * an ACS token ({@code token=...}, or {@code Bearer ...} since DC/OS 1.12) is refused with Admin Router's HTML 401
 * before it reaches the service; an unknown service is an HTML 404. Responses are streamed, so event streams work.
 * It can cut the first event stream short, as a proxy timeout or a scheduler failover would.
 */
final class AdminRouterProxy implements AutoCloseable {

    private final HttpServer http;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final String serviceName;
    private final URI upstream;
    private final List<String> forwarded = new CopyOnWriteArrayList<>();
    private final AtomicBoolean cutNextEventStream = new AtomicBoolean();
    private volatile int cutAfterEvents;

    private AdminRouterProxy(String serviceName, URI upstream) throws IOException {
        this.serviceName = serviceName;
        this.upstream = upstream;
        this.http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        http.createContext("/", this::handle);
        http.setExecutor(threads);
        http.start();
    }

    static AdminRouterProxy start(String serviceName, URI upstream) throws IOException {
        return new AdminRouterProxy(serviceName, upstream);
    }

    /** The cluster URL, as {@code DCOS_URL} has it: no trailing slash. */
    String clusterUrl() {
        return "http://127.0.0.1:" + http.getAddress().getPort();
    }

    /** "GET /v1/runs (Authorization: Bearer ...)" for each request passed to the service. */
    List<String> forwarded() {
        return forwarded;
    }

    /** The next event stream is closed once {@code events} whole events of it (or more) have been passed on. */
    void cutNextEventStreamAfter(int events) {
        cutAfterEvents = events;
        cutNextEventStream.set(true);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String prefix = "/service/" + serviceName;
            String path = exchange.getRequestURI().getRawPath();
            if (!path.startsWith(prefix + "/")) {
                html(exchange, 404, "<html><body><h1>404 Not Found</h1></body></html>");
                return;
            }
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            if (auth == null || !(auth.matches("token=.+") || auth.matches("Bearer .+"))) {
                exchange.getResponseHeaders().add("WWW-Authenticate", "acsjwt");
                html(exchange, 401, "<html><body><h1>401 Unauthorized</h1><p>Authentication required</p></body></html>");
                return;
            }
            String query = exchange.getRequestURI().getRawQuery();
            String rest = path.substring(prefix.length() + 1) + (query == null ? "" : "?" + query);
            forwarded.add(exchange.getRequestMethod() + " /" + rest + " (Authorization: " + auth.split(" |=")[0]
                    + ")");
            forward(exchange, rest, auth);
        }
    }

    private void forward(HttpExchange exchange, String rest, String auth) throws IOException {
        HttpURLConnection call = (HttpURLConnection) upstream.resolve(rest).toURL().openConnection();
        call.setRequestMethod(exchange.getRequestMethod());
        call.setRequestProperty("Authorization", auth);
        for (String header : List.of("Content-Type", "Accept")) {
            String value = exchange.getRequestHeaders().getFirst(header);
            if (value != null) {
                call.setRequestProperty(header, value);
            }
        }
        byte[] body = exchange.getRequestBody().readAllBytes();
        if (body.length > 0) {
            call.setDoOutput(true);
            try (OutputStream out = call.getOutputStream()) {
                out.write(body);
            }
        }
        int status = call.getResponseCode();
        String type = call.getContentType();
        if (type != null) {
            exchange.getResponseHeaders().add("Content-Type", type);
        }
        boolean cut = rest.contains("/events") && cutNextEventStream.compareAndSet(true, false);
        InputStream in = status >= 400 ? call.getErrorStream() : call.getInputStream();
        if (status == 204 || in == null) {
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        exchange.sendResponseHeaders(status, 0);
        try (in; OutputStream out = exchange.getResponseBody()) {
            byte[] buffer = new byte[8192];
            StringBuilder passed = new StringBuilder();
            for (int n; (n = in.read(buffer)) > 0; ) {
                out.write(buffer, 0, n);
                out.flush();
                // An event ends with a blank line.
                if (cut && passed.append(new String(buffer, 0, n, StandardCharsets.UTF_8)).toString()
                        .split("\n\n", -1).length - 1 >= cutAfterEvents) {
                    return;  // the stream ends here for the client, mid-run
                }
            }
        } finally {
            call.disconnect();
        }
    }

    private static void html(HttpExchange exchange, int status, String body) throws IOException {
        HttpReplies.send(exchange, status, "text/html", body.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        http.stop(0);
        threads.shutdownNow();
    }
}
