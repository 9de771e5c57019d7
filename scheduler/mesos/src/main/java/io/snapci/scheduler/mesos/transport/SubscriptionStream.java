package io.snapci.scheduler.mesos.transport;

import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.v1.scheduler.Protos.Event;

/**
 * One SUBSCRIBE connection: a reader thread sends the request, then reads the chunked body as a stream, decodes
 * RecordIO and protobuf, and hands {@link Signal}s to the subscription thread through a bounded queue.
 *
 * <p>Why a separate reader: a blocked {@code InputStream.read} cannot time out, yet we must give up on a silent stream
 * (heartbeat watchdog) and on {@code close()}. The subscription thread waits on the queue with a timeout instead and,
 * when it gives up, {@link #abort()}s: the body is closed (cancelling the HTTP exchange, which drops the connection)
 * and the reader, which only does I/O, is interrupted. Event handlers therefore never run on an interruptible thread.
 * The bounded queue gives backpressure: when the handler is slow, the reader stops reading and TCP pushes back.
 */
final class SubscriptionStream {

    sealed interface Signal permits Answered, Opened, Received, Closed {
    }

    /** The master answered with something other than 200: no stream. */
    record Answered(int status, Optional<String> location, String body) implements Signal {
    }

    /** 200: the stream is open; events follow. */
    record Opened(Optional<String> streamId) implements Signal {
    }

    record Received(Event event) implements Signal {
    }

    /** The stream is over (end, I/O error, undecodable data, or aborted by us). */
    record Closed(String reason) implements Signal {
    }

    private static final int QUEUE_CAPACITY = 256;
    private static final int READ_BUFFER = 64 * 1024;
    private static final int ERROR_BODY_LIMIT = 4096;

    private final HttpClient http;
    private final HttpRequest request;
    private final int maxRecordBytes;
    private final BlockingQueue<Signal> signals = new LinkedBlockingQueue<>(QUEUE_CAPACITY);
    private final Thread reader;

    private boolean aborted; // guarded by this
    private InputStream body; // guarded by this

    SubscriptionStream(HttpClient http, HttpRequest request, int maxRecordBytes) {
        this.http = http;
        this.request = request;
        this.maxRecordBytes = maxRecordBytes;
        this.reader = new Thread(this::read, "mesos-subscription-reader");
        this.reader.setDaemon(true);
    }

    void start() {
        reader.start();
    }

    /** The next signal, or null when none came within {@code timeoutNanos}. */
    Signal poll(long timeoutNanos) throws InterruptedException {
        return signals.poll(timeoutNanos, TimeUnit.NANOSECONDS);
    }

    /** Drops the connection and stops the reader; wakes a thread blocked in {@link #poll}. Idempotent. */
    void abort() {
        InputStream toClose;
        synchronized (this) {
            if (aborted) {
                return;
            }
            aborted = true;
            toClose = body;
        }
        closeQuietly(toClose);
        reader.interrupt();
        signals.clear();
        signals.offer(new Closed("closed by the client"));
    }

    private void read() {
        try {
            HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            InputStream in = response.body();
            if (!adopt(in)) {
                return;
            }
            if (response.statusCode() != 200) {
                emit(new Answered(response.statusCode(), response.headers().firstValue("Location"),
                        MesosRequests.readErrorBody(in, ERROR_BODY_LIMIT)));
                return;
            }
            emit(new Opened(response.headers().firstValue(MesosRequests.STREAM_ID_HEADER)));
            RecordIoDecoder decoder = new RecordIoDecoder(maxRecordBytes);
            byte[] buffer = new byte[READ_BUFFER];
            int n;
            while ((n = in.read(buffer)) != -1) {
                for (byte[] record : decoder.feed(buffer, 0, n)) {
                    emit(new Received(Event.parseFrom(record)));
                }
            }
            emitQuietly(new Closed(decoder.isMidRecord()
                    ? "the stream ended in the middle of a record" : "the master ended the stream"));
        } catch (InterruptedException e) {
            // Aborted: nobody is listening any more.
        } catch (InvalidProtocolBufferException e) {
            emitQuietly(new Closed("undecodable event on the stream: " + e.getMessage()));
        } catch (RecordIoException e) {
            emitQuietly(new Closed("invalid RecordIO on the stream: " + e.getMessage()));
        } catch (IOException | RuntimeException e) {
            emitQuietly(new Closed("connection lost: " + e));
        } finally {
            InputStream toClose;
            synchronized (this) {
                toClose = body;
            }
            closeQuietly(toClose);
        }
    }

    /** Remembers the body so abort() can close it; false (and closed) if we were aborted meanwhile. */
    private boolean adopt(InputStream in) {
        synchronized (this) {
            if (!aborted) {
                body = in;
                return true;
            }
        }
        closeQuietly(in);
        return false;
    }

    private void emit(Signal signal) throws InterruptedException {
        synchronized (this) {
            if (aborted) {
                throw new InterruptedException("aborted");
            }
        }
        signals.put(signal);
    }

    private void emitQuietly(Signal signal) {
        try {
            emit(signal);
        } catch (InterruptedException e) {
            // Aborted.
        }
    }

    private static void closeQuietly(InputStream in) {
        if (in != null) {
            try {
                in.close();
            } catch (IOException | RuntimeException ignored) {
                // Closing a dropped connection has nothing useful to report.
            }
        }
    }
}
