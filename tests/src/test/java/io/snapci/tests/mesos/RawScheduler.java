package io.snapci.tests.mesos;

import io.snapci.scheduler.mesos.transport.RecordIoDecoder;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingDeque;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;

/**
 * A scheduler made of nothing but {@link HttpClient} and snapci's {@link RecordIoDecoder}, for proving the peer's
 * rules without our transport in the way: one SUBSCRIBE stream read on a thread into a queue, calls posted by hand.
 */
final class RawScheduler implements AutoCloseable {

    static final String PROTOBUF = "application/x-protobuf";

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private final URI endpoint;
    private final BlockingDeque<Event> events = new LinkedBlockingDeque<>();
    private final List<Event> seen = new ArrayList<>();
    private volatile boolean ended;
    private InputStream body;
    String streamId;
    FrameworkID frameworkId;

    RawScheduler(URI endpoint) {
        this.endpoint = endpoint;
    }

    static FrameworkInfo.Builder info() {
        return FrameworkInfo.newBuilder().setUser("nobody").setName("raw").addRoles("snapci")
                .addCapabilities(FrameworkInfo.Capability.newBuilder()
                        .setType(FrameworkInfo.Capability.Type.MULTI_ROLE))
                .addCapabilities(FrameworkInfo.Capability.newBuilder()
                        .setType(FrameworkInfo.Capability.Type.PARTITION_AWARE))
                .setFailoverTimeout(60);
    }

    /** SUBSCRIBE and start reading; returns the response (status 200 with the stream, or the error). */
    HttpResponse<InputStream> subscribe(FrameworkInfo info) throws IOException, InterruptedException {
        Call.Builder call = Call.newBuilder().setType(Call.Type.SUBSCRIBE)
                .setSubscribe(Call.Subscribe.newBuilder().setFrameworkInfo(info));
        if (info.hasId()) {
            call.setFrameworkId(info.getId());
        }
        HttpResponse<InputStream> response = http.send(request(call.build(), null), HttpResponse.BodyHandlers
                .ofInputStream());
        if (response.statusCode() == 200) {
            streamId = response.headers().firstValue("Mesos-Stream-Id").orElse(null);
            body = response.body();
            Thread reader = new Thread(this::read, "raw-scheduler-reader");
            reader.setDaemon(true);
            reader.start();
            Event first = next(e -> true, Duration.ofSeconds(5));
            if (first.getType() == Event.Type.SUBSCRIBED) {
                frameworkId = first.getSubscribed().getFrameworkId();
            } else {
                events.putFirst(first); // e.g. ERROR: left for the test to read
            }
        }
        return response;
    }

    /** Posts a call with this scheduler's stream id. */
    HttpResponse<String> post(Call call) throws IOException, InterruptedException {
        return post(call, streamId);
    }

    HttpResponse<String> post(Call call, String withStreamId) throws IOException, InterruptedException {
        return http.send(request(call, withStreamId), HttpResponse.BodyHandlers.ofString());
    }

    HttpRequest request(Call call, String withStreamId) {
        HttpRequest.Builder b = HttpRequest.newBuilder(endpoint).version(HttpClient.Version.HTTP_1_1)
                .header("Content-Type", PROTOBUF).header("Accept", PROTOBUF)
                .POST(HttpRequest.BodyPublishers.ofByteArray(call.toByteArray()));
        if (withStreamId != null) {
            b.header("Mesos-Stream-Id", withStreamId);
        }
        return b.build();
    }

    HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    Call.Builder call(Call.Type type) {
        return Call.newBuilder().setType(type).setFrameworkId(frameworkId);
    }

    /** The next event (heartbeats included) matching {@code which}; fails the test on timeout. */
    Event next(Predicate<Event> which, Duration timeout) throws InterruptedException {
        return poll(which, timeout).orElseThrow(() -> new AssertionError("no matching event within " + timeout
                + "; seen " + seen.stream().map(Event::getType).toList()));
    }

    Event next(Event.Type type, Duration timeout) throws InterruptedException {
        return next(e -> e.getType() == type, timeout);
    }

    /** The next UPDATE for this task, skipping other events. */
    TaskStatus update(String taskId, Duration timeout) throws InterruptedException {
        return next(e -> e.getType() == Event.Type.UPDATE
                && e.getUpdate().getStatus().getTaskId().getValue().equals(taskId), timeout).getUpdate().getStatus();
    }

    Optional<Event> poll(Predicate<Event> which, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            Event e = left > 0 ? events.poll(left, TimeUnit.NANOSECONDS) : null;
            if (e == null) {
                return Optional.empty();
            }
            seen.add(e);
            if (which.test(e)) {
                return Optional.of(e);
            }
        }
    }

    /** Acknowledges a status update that carries a uuid. */
    HttpResponse<String> ack(TaskStatus status) throws IOException, InterruptedException {
        return post(call(Call.Type.ACKNOWLEDGE).setAcknowledge(Call.Acknowledge.newBuilder()
                .setAgentId(status.getAgentId()).setTaskId(status.getTaskId()).setUuid(status.getUuid())).build());
    }

    /** True once the server ended the stream. */
    boolean ended(Duration timeout) {
        return MesosMasterPeer.poll(() -> ended, timeout);
    }

    private void read() {
        RecordIoDecoder decoder = new RecordIoDecoder();
        byte[] buffer = new byte[8192];
        try (InputStream in = body) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                for (byte[] record : decoder.feed(buffer, 0, n)) {
                    events.add(Event.parseFrom(record));
                }
            }
        } catch (Exception e) {
            // the stream broke or was closed by us
        } finally {
            ended = true;
        }
    }

    @Override
    public void close() {
        try {
            if (body != null) {
                body.close();
            }
        } catch (IOException ignored) {
            // closing
        }
    }
}
