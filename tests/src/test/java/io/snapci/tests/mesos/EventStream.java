package io.snapci.tests.mesos;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.v1.scheduler.Protos.Event;

/**
 * One SUBSCRIBE connection, from the master's side: the {@code Mesos-Stream-Id} it was given, the events waiting to be
 * written, and the HEARTBEAT timer.
 *
 * <p>The master (its single thread) only enqueues; the HTTP thread that answered SUBSCRIBE runs {@link #pump} until the
 * stream is closed or the client goes away, writing RecordIO records and a HEARTBEAT every interval (mesos 1.11.0
 * {@code src/master/master.hpp} {@code Heartbeater}: one right after SUBSCRIBED, then every
 * {@code heartbeat_interval_seconds}; {@code docs/scheduler-http-api.md}, "HEARTBEAT").
 */
final class EventStream {

    private static final Object END = new Object();

    /** A fresh random UUID per subscription, as {@code Master::Http::scheduler} generates. */
    final String id = UUID.randomUUID().toString();
    private final Duration heartbeat;
    private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private volatile boolean closed;

    EventStream(Duration heartbeat) {
        this.heartbeat = heartbeat;
    }

    void send(Event event) {
        if (!closed) {
            queue.add(event);
        }
    }

    /** Ends the chunked response after what is already queued. */
    void close() {
        if (!closed) {
            closed = true;
            queue.add(END);
        }
    }

    boolean isClosed() {
        return closed;
    }

    /**
     * Writes until closed. Returns normally when the master closed the stream; throws when the client went away (a
     * write failed), which the caller reports to the master as a disconnection.
     */
    void pump(OutputStream body) throws IOException, InterruptedException {
        RecordIoWriter writer = new RecordIoWriter(body);
        long interval = heartbeat.toNanos();
        long nextHeartbeat = System.nanoTime() + interval;
        while (true) {
            Object item = queue.poll(Math.max(0, nextHeartbeat - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (item == END) {
                return;
            }
            if (item instanceof Event event) {
                writer.write(event);
            } else if (System.nanoTime() >= nextHeartbeat) {
                writer.write(Event.newBuilder().setType(Event.Type.HEARTBEAT).build());
                nextHeartbeat += interval;
            }
        }
    }
}
