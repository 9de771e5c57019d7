package io.snapci.server.api;

import io.snapci.scheduler.core.process.Threads;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.snapci.model.Json;
import io.snapci.model.RunStatus;
import io.snapci.server.ApiProblem;
import io.snapci.server.events.EventSubscription;
import io.snapci.server.events.RunEvent;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Writes event subscriptions to their clients, one thread per open stream (at most {@link #MAX_STREAMS}). A
 * stream ends after the run's {@code end} event, when the client goes away, or when the server stops. A comment
 * is sent when nothing happened for a while, so proxies keep the connection and a gone client is noticed.
 */
public final class EventStreams implements AutoCloseable {

    static final int MAX_STREAMS = 256;
    private static final Duration POLL = Duration.ofMillis(500);
    private static final long KEEP_ALIVE_MILLIS = 15_000;
    private static final long SEND_TIMEOUT_SECONDS = 10;
    private static final Logger LOG = LoggerFactory.getLogger(EventStreams.class);

    private final Semaphore slots = new Semaphore(MAX_STREAMS);
    private final ExecutorService threads = Executors.newCachedThreadPool(Threads.daemon("snapci-events"));
    private volatile boolean closing;

    /** Streams {@code subscription} (opened before {@code current} was read) to {@code sink}, on its own thread. */
    void stream(EventSubscription subscription, RunStatus current, SseEventSink sink, Sse sse) {
        if (closing || !slots.tryAcquire()) {
            subscription.close();
            throw ApiProblem.unavailable(closing ? "snapci is shutting down" : MAX_STREAMS + " event streams are "
                    + "open, the most this server keeps; poll GET /v1/runs/{id} instead or retry later");
        }
        threads.execute(() -> {
            try (subscription; sink) {
                if (!send(sink, sse, subscription.start(current))) {
                    return;
                }
                long quietSince = System.currentTimeMillis();
                while (!subscription.ended() && !closing && !sink.isClosed()) {
                    List<RunEvent> events = subscription.next(POLL);
                    if (!events.isEmpty()) {
                        if (!send(sink, sse, events)) {
                            return;
                        }
                        quietSince = System.currentTimeMillis();
                    } else if (System.currentTimeMillis() - quietSince > KEEP_ALIVE_MILLIS) {
                        if (!deliver(sink, sse.newEventBuilder().comment("keep-alive").build())) {
                            return;
                        }
                        quietSince = System.currentTimeMillis();
                    }
                }
                // Closing: the runs have ended by now (a graceful shutdown waits for them before closing the
                // streams), so their last events, the end included, may still be queued: deliver them first.
                List<RunEvent> rest = subscription.next(Duration.ZERO);
                while (!rest.isEmpty() && !sink.isClosed()) {
                    if (!send(sink, sse, rest)) {
                        return;
                    }
                    rest = subscription.next(Duration.ZERO);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                slots.release();
            }
        });
    }

    private static boolean send(SseEventSink sink, Sse sse, List<RunEvent> events) {
        for (RunEvent event : events) {
            String data;
            try {
                data = Json.mapper().writeValueAsString(event.data());
            } catch (JsonProcessingException e) {
                LOG.warn("cannot write a {} event: {}", event.name(), e.getMessage());
                continue;
            }
            if (!deliver(sink, sse.newEventBuilder().name(event.name()).id(event.id())
                    .mediaType(MediaType.APPLICATION_JSON_TYPE).data(String.class, data).build())) {
                return false;
            }
        }
        return true;
    }

    /** False when the client is gone. */
    private static boolean deliver(SseEventSink sink, jakarta.ws.rs.sse.OutboundSseEvent event) {
        try {
            sink.send(event).toCompletableFuture().get(SEND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    /** Ends every stream (their loops notice within a poll) and waits briefly for them to close. */
    @Override
    public void close() {
        closing = true;
        threads.shutdown();
        try {
            threads.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        threads.shutdownNow();
    }
}
