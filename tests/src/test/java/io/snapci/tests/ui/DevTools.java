package io.snapci.tests.ui;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

/**
 * The Chrome DevTools Protocol over the browser's one WebSocket (JDK {@link WebSocket}, no driver binary): commands
 * are JSON with an id and get a reply with that id; events have none. Pages are addressed by session id ("flat"
 * sessions from {@code Target.attachToTarget}), so one connection drives every tab.
 */
final class DevTools implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);

    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    /** (session id or "" for the browser, event) for every event received. */
    private final CopyOnWriteArrayList<BiConsumer<String, JsonNode>> listeners = new CopyOnWriteArrayList<>();

    private DevTools(URI browserEndpoint) {
        this.socket = HttpClient.newHttpClient().newWebSocketBuilder()
                .connectTimeout(Duration.ofSeconds(10))
                .buildAsync(browserEndpoint, new Receiver()).join();
    }

    static DevTools connect(URI browserEndpoint) {
        return new DevTools(browserEndpoint);
    }

    void onEvent(BiConsumer<String, JsonNode> listener) {
        listeners.add(listener);
    }

    /** Sends a command to the browser ({@code session} null) or a page, and waits for its result. */
    JsonNode send(String session, String method, Map<String, ?> params) {
        int id = ids.incrementAndGet();
        ObjectNode message = JSON.createObjectNode().put("id", id).put("method", method);
        message.set("params", JSON.valueToTree(params));
        if (session != null) {
            message.put("sessionId", session);
        }
        CompletableFuture<JsonNode> reply = new CompletableFuture<>();
        pending.put(id, reply);
        synchronized (socket) {   // one message at a time: the JDK WebSocket refuses overlapping sends
            socket.sendText(message.toString(), true).join();
        }
        try {
            JsonNode answer = reply.get(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            if (answer.has("error")) {
                throw new IllegalStateException(method + " failed: " + answer.get("error"));
            }
            return answer.path("result");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(method + " interrupted", e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException(method + " got no answer from Chromium within " + COMMAND_TIMEOUT, e);
        } finally {
            pending.remove(id);
        }
    }

    @Override
    public void close() {
        socket.abort();
    }

    /** Collects a message's fragments (screenshots arrive in many), then routes it as a reply or an event. */
    private final class Receiver implements WebSocket.Listener {
        private final StringBuilder text = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                dispatch(text.toString());
                text.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            pending.values().forEach(reply -> reply.completeExceptionally(error));
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            pending.values().forEach(reply -> reply.completeExceptionally(
                    new IOException("Chromium closed the DevTools connection: " + statusCode + " " + reason)));
            return null;
        }

        private void dispatch(String raw) {
            JsonNode message;
            try {
                message = JSON.readTree(raw);
            } catch (IOException e) {
                return;
            }
            if (message.has("id")) {
                CompletableFuture<JsonNode> reply = pending.get(message.get("id").asInt());
                if (reply != null) {
                    reply.complete(message);
                }
            } else {
                String session = message.path("sessionId").asText("");
                listeners.forEach(listener -> listener.accept(session, message));
            }
        }
    }
}
