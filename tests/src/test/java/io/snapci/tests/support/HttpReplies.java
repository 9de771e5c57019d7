package io.snapci.tests.support;

import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;

/** How the test peers' HTTP servers (the JDK's HttpServer) answer with a whole body. */
public final class HttpReplies {

    private HttpReplies() {
    }

    /** Answers {@code status} with {@code body} (not empty: an empty length means a chunked body to this server). */
    public static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
    }
}
