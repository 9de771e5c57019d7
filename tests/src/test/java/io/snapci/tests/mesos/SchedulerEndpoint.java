package io.snapci.tests.mesos;

import com.google.protobuf.InvalidProtocolBufferException;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.mesos.v1.scheduler.Protos.Call;

/**
 * {@code /api/v1/scheduler}: the HTTP rules of mesos 1.11.0 {@code src/master/http.cpp}
 * ({@code Master::Http::scheduler}, {@code Master::Http::redirect}) in the master's order, with its status codes and
 * texts:
 * <ol>
 *   <li>not the leader: 307, {@code Location: //host:port/api/v1/scheduler} (protocol-relative); no leader: 503
 *       "No leader elected";</li>
 *   <li>not POST: 405 (libprocess {@code MethodNotAllowed}, {@code Allow: POST});</li>
 *   <li>no Content-Type: 400 "Expecting 'Content-Type' to be present"; other than protobuf or JSON: 415;</li>
 *   <li>undecodable body: 400 "Failed to parse body into Call protobuf";</li>
 *   <li>{@code validation::scheduler::call::validate} fails: 400 "Failed to validate scheduler::Call: ...";</li>
 *   <li>SUBSCRIBE whose Accept allows neither protobuf nor JSON: 406; with a Mesos-Stream-Id: 400;</li>
 *   <li>then, in {@link PeerMaster#call}: unknown framework 400, not subscribed 403, missing or wrong
 *       Mesos-Stream-Id 400; otherwise 202.</li>
 * </ol>
 * JSON bodies are recognised but not decoded (the peer speaks protobuf only); see the report of limitations.
 */
final class SchedulerEndpoint implements HttpHandler {

    static final String PATH = "/api/v1/scheduler";
    static final String PROTOBUF = "application/x-protobuf";
    static final String JSON = "application/json";
    static final String STREAM_ID = "Mesos-Stream-Id";

    /** Who leads: this peer, another master, or nobody. Set from the test thread. */
    sealed interface Leadership permits Leading, Redirecting, NoLeader {
    }

    record Leading() implements Leadership {
    }

    record Redirecting(String hostPort) implements Leadership {
    }

    record NoLeader() implements Leadership {
    }

    private final PeerMaster master;
    private final CallLog calls;
    private volatile Leadership leadership = new Leading();

    SchedulerEndpoint(PeerMaster master, CallLog calls) {
        this.master = master;
        this.calls = calls;
    }

    /**
     * HTTP framework authentication (mesos docs/authentication.md, "HTTP Authentication"): libprocess authenticates a
     * request to an authenticated endpoint before its handler runs, so a request without valid credentials gets 401
     * with a {@code WWW-Authenticate} challenge whatever it is. On DC/OS strict mode the credential is
     * {@code Authorization: token=<IAM token>} and the challenge is {@code acsjwt}. Null: no authentication.
     */
    private volatile java.util.function.Predicate<String> authorization;

    void requireAuthorization(java.util.function.Predicate<String> valid) {
        authorization = valid;
    }

    void leadership(Leadership l) {
        leadership = l;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            java.util.function.Predicate<String> valid = authorization;
            if (valid != null && !valid.test(exchange.getRequestHeaders().getFirst("Authorization"))) {
                exchange.getResponseHeaders().set("WWW-Authenticate", "acsjwt");
                answer(exchange, 401, "");
                return;
            }
            Leadership lead = leadership;
            if (lead instanceof Redirecting r) {
                exchange.getResponseHeaders().set("Location", "//" + r.hostPort() + exchange.getRequestURI());
                answer(exchange, 307, "");
                return;
            }
            if (lead instanceof NoLeader) {
                answer(exchange, 503, "No leader elected");
                return;
            }
            if (!exchange.getRequestMethod().equals("POST")) {
                exchange.getResponseHeaders().set("Allow", "POST");
                answer(exchange, 405, "Expecting one of { 'POST' }, but received '" + exchange.getRequestMethod()
                        + "'");
                return;
            }
            String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
            if (contentType == null) {
                answer(exchange, 400, "Expecting 'Content-Type' to be present");
                return;
            }
            if (!contentType.equals(PROTOBUF)) {
                answer(exchange, 415, contentType.equals(JSON)
                        ? "mesos-master-peer: JSON calls are not modelled; send " + PROTOBUF
                        : "Expecting 'Content-Type' of " + JSON + " or " + PROTOBUF);
                return;
            }
            Call call;
            try {
                call = Call.parseFrom(exchange.getRequestBody().readAllBytes());
            } catch (InvalidProtocolBufferException e) {
                answer(exchange, 400, "Failed to parse body into Call protobuf");
                return;
            }
            Optional<String> invalid = CallValidation.validate(call);
            if (invalid.isPresent()) {
                record(call, 400);
                answer(exchange, 400, "Failed to validate scheduler::Call: " + invalid.get());
                return;
            }
            String streamId = exchange.getRequestHeaders().getFirst(STREAM_ID);
            if (call.getType() == Call.Type.SUBSCRIBE) {
                subscribe(exchange, call, streamId);
                return;
            }
            PeerMaster.Reply reply = onMaster(() -> master.call(call, streamId));
            record(call, reply.status());
            answer(exchange, reply.status(), reply.body());
        }
    }

    private void subscribe(HttpExchange exchange, Call call, String streamId) throws IOException {
        if (!acceptsProtobuf(exchange.getRequestHeaders().getFirst("Accept"))) {
            record(call, 406);
            answer(exchange, 406, "Expecting 'Accept' to allow '" + PROTOBUF + "' or '" + JSON + "'");
            return;
        }
        if (streamId != null) {
            record(call, 400);
            answer(exchange, 400, "Subscribe calls should not include the 'Mesos-Stream-Id' header");
            return;
        }
        EventStream stream = onMaster(() -> master.subscribe(call.getSubscribe()));
        record(call, 200);
        exchange.getResponseHeaders().set("Content-Type", PROTOBUF);
        exchange.getResponseHeaders().set(STREAM_ID, stream.id);
        exchange.sendResponseHeaders(200, 0); // chunked: the stream lasts as long as the subscription
        try {
            stream.pump(exchange.getResponseBody());
        } catch (IOException clientGone) {
            master.clock.execute(() -> master.streamGone(stream));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * libprocess {@code Request::acceptsMediaType}: no Accept header accepts everything; otherwise protobuf must be
     * listed, or {@code *}/{@code *}, or {@code application/*}, with a non-zero q. (JSON-only clients get 406 here
     * because the peer cannot stream JSON.)
     */
    static boolean acceptsProtobuf(String accept) {
        if (accept == null) {
            return true;
        }
        for (String part : accept.split(",")) {
            String[] fields = part.trim().split(";");
            String type = fields[0].trim().toLowerCase(Locale.ROOT);
            boolean zero = false;
            for (int i = 1; i < fields.length; i++) {
                String p = fields[i].trim();
                if (p.startsWith("q=") && Double.parseDouble(p.substring(2)) == 0) {
                    zero = true;
                }
            }
            if (!zero && (type.equals(PROTOBUF) || type.equals("*/*") || type.equals("application/*"))) {
                return true;
            }
        }
        return false;
    }

    private void record(Call call, int status) {
        calls.add(call, status);
    }

    private <T> T onMaster(Callable<T> action) throws IOException {
        Future<T> result = master.clock.submit(action);
        try {
            return result.get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("the peer master failed: " + e, e);
        }
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > 0) {
            exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        }
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }
}
