package io.snapci.scheduler.mesos.transport;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;

/**
 * A minimal stand-in for a Mesos master's {@code /api/v1/scheduler}, for the transport's unit tests only: scripted
 * answers to SUBSCRIBE (RecordIO stream with SUBSCRIBED and heartbeats, a status, a 307, ERROR, or no answer) and to
 * calls (202 by default), and a record of every request. Each record is written in two flushes, split at a point that
 * moves from record to record, so the client's decoder also sees records split across HTTP chunks.
 */
final class FakeMaster implements AutoCloseable {

    static final String DEFAULT_FRAMEWORK_ID = "fw-1";

    /** A request as received. */
    record Request(Call call, String authorization, String streamId, String contentType, String accept) {
    }

    /** A scripted answer. */
    record Reply(Kind kind, int status, String body, double heartbeatSeconds, String errorMessage) {
        enum Kind { STATUS, STREAM, SILENT_STREAM, ERROR_STREAM, HANG, STREAM_WITHOUT_ID }
    }

    static Reply status(int status, String body) {
        return new Reply(Reply.Kind.STATUS, status, body, 0, null);
    }

    /** 307 to {@code location}. */
    static Reply redirect(String location) {
        return new Reply(Reply.Kind.STATUS, 307, location, 0, null);
    }

    /** SUBSCRIBED with this heartbeat interval, then a HEARTBEAT every interval, like a real master. */
    static Reply stream(double heartbeatSeconds) {
        return new Reply(Reply.Kind.STREAM, 200, "", heartbeatSeconds, null);
    }

    /** A 200 stream with SUBSCRIBED but no Mesos-Stream-Id header: what a header-stripping proxy would pass on. */
    static Reply streamWithoutId(double heartbeatSeconds) {
        return new Reply(Reply.Kind.STREAM_WITHOUT_ID, 200, "", heartbeatSeconds, null);
    }

    /** SUBSCRIBED, then silence: a partitioned master. */
    static Reply silentStream(double heartbeatSeconds) {
        return new Reply(Reply.Kind.SILENT_STREAM, 200, "", heartbeatSeconds, null);
    }

    /** ERROR as the first event, in lieu of SUBSCRIBED. */
    static Reply errorStream(String message) {
        return new Reply(Reply.Kind.ERROR_STREAM, 200, "", 0, message);
    }

    /** Never answers (until closed). */
    static Reply hang() {
        return new Reply(Reply.Kind.HANG, 0, "", 0, null);
    }

    private static final Object DROP = new Object();

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final Deque<Reply> subscribeReplies = new ConcurrentLinkedDeque<>();
    private final Deque<Reply> callReplies = new ConcurrentLinkedDeque<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final List<BlockingQueue<Object>> openStreams = new CopyOnWriteArrayList<>();
    private final AtomicInteger streamCounter = new AtomicInteger();
    private final AtomicInteger splitCounter = new AtomicInteger();
    private final CountDownLatch closed = new CountDownLatch(1);
    /** Heartbeat interval of the default answer to SUBSCRIBE, once the script is used up. */
    private final double defaultHeartbeatSeconds = 0.2;

    FakeMaster() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(executor);
        server.createContext(Endpoints.SCHEDULER_PATH, this::handle);
        server.start();
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** What a real master puts in Location: protocol-relative. */
    String location() {
        return "//127.0.0.1:" + server.getAddress().getPort() + Endpoints.SCHEDULER_PATH;
    }

    void enqueueSubscribe(Reply... replies) {
        subscribeReplies.addAll(List.of(replies));
    }

    void enqueueCall(Reply... replies) {
        callReplies.addAll(List.of(replies));
    }

    List<Request> subscribes() {
        return requests.stream().filter(r -> r.call().getType() == Call.Type.SUBSCRIBE).toList();
    }

    List<Request> calls() {
        return requests.stream().filter(r -> r.call().getType() != Call.Type.SUBSCRIBE).toList();
    }

    List<Request> requests() {
        return new ArrayList<>(requests);
    }

    int openStreamCount() {
        return openStreams.size();
    }

    /** Sends an event on every open stream. */
    void push(Event event) {
        openStreams.forEach(q -> q.add(event));
    }

    /** Ends every open stream cleanly (end of the chunked body), like a master failing over. */
    void dropStreams() {
        openStreams.forEach(q -> q.add(DROP));
    }

    @Override
    public void close() {
        if (closed.getCount() == 0) {
            return;
        }
        closed.countDown();
        dropStreams();
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Call call = Call.parseFrom(exchange.getRequestBody().readAllBytes());
            var headers = exchange.getRequestHeaders();
            requests.add(new Request(call, headers.getFirst("Authorization"), headers.getFirst("Mesos-Stream-Id"),
                    headers.getFirst("Content-Type"), headers.getFirst("Accept")));
            Reply reply = call.getType() == Call.Type.SUBSCRIBE
                    ? orDefault(subscribeReplies.poll(), stream(defaultHeartbeatSeconds))
                    : orDefault(callReplies.poll(), status(202, ""));
            switch (reply.kind()) {
                case STATUS -> answer(exchange, reply);
                case HANG -> closed.await(10, TimeUnit.SECONDS);
                default -> stream(exchange, call, reply);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Reply orDefault(Reply reply, Reply fallback) {
        return reply != null ? reply : fallback;
    }

    private static void answer(HttpExchange exchange, Reply reply) throws IOException {
        byte[] body = new byte[0];
        if (reply.status() == 307) {
            exchange.getResponseHeaders().set("Location", reply.body());
        } else {
            body = reply.body().getBytes(StandardCharsets.UTF_8);
        }
        exchange.sendResponseHeaders(reply.status(), body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            exchange.getResponseBody().write(body);
        }
    }

    private void stream(HttpExchange exchange, Call subscribe, Reply reply) throws IOException, InterruptedException {
        exchange.getResponseHeaders().set("Content-Type", MesosRequests.PROTOBUF);
        String streamId = "stream-" + streamCounter.incrementAndGet();
        if (reply.kind() != Reply.Kind.STREAM_WITHOUT_ID) {
            exchange.getResponseHeaders().set("Mesos-Stream-Id", streamId);
        }
        exchange.sendResponseHeaders(200, 0); // chunked
        OutputStream out = exchange.getResponseBody();
        if (reply.kind() == Reply.Kind.ERROR_STREAM) {
            write(out, Event.newBuilder().setType(Event.Type.ERROR)
                    .setError(Event.Error.newBuilder().setMessage(reply.errorMessage())).build());
            return;
        }
        FrameworkID id = subscribe.getSubscribe().getFrameworkInfo().hasId()
                ? subscribe.getSubscribe().getFrameworkInfo().getId()
                : FrameworkID.newBuilder().setValue(DEFAULT_FRAMEWORK_ID).build();
        BlockingQueue<Object> commands = new LinkedBlockingQueue<>();
        openStreams.add(commands);
        try {
            write(out, Event.newBuilder().setType(Event.Type.SUBSCRIBED)
                    .setSubscribed(Event.Subscribed.newBuilder().setFrameworkId(id)
                            .setHeartbeatIntervalSeconds(reply.heartbeatSeconds()))
                    .build());
            long intervalMillis = Math.max(1, (long) (reply.heartbeatSeconds() * 1000));
            while (closed.getCount() > 0) {
                Object command = commands.poll(intervalMillis, TimeUnit.MILLISECONDS);
                if (command == DROP) {
                    return;
                } else if (command instanceof Event event) {
                    write(out, event);
                } else if (command == null && reply.kind() == Reply.Kind.STREAM) {
                    write(out, Event.newBuilder().setType(Event.Type.HEARTBEAT).build());
                }
            }
        } catch (IOException clientGone) {
            // The client dropped the connection: what close() and the watchdog do.
        } finally {
            openStreams.remove(commands);
        }
    }

    /** One RecordIO record, in two flushes (two HTTP chunks) split at a moving point. */
    private void write(OutputStream out, Event event) throws IOException {
        byte[] data = event.toByteArray();
        byte[] prefix = (data.length + "\n").getBytes(StandardCharsets.US_ASCII);
        byte[] record = new byte[prefix.length + data.length];
        System.arraycopy(prefix, 0, record, 0, prefix.length);
        System.arraycopy(data, 0, record, prefix.length, data.length);
        int split = 1 + splitCounter.getAndIncrement() % (record.length - 1);
        out.write(record, 0, split);
        out.flush();
        out.write(record, split, record.length - split);
        out.flush();
    }
}
