package io.snapci.scheduler.mesos.transport;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import org.apache.mesos.v1.scheduler.Protos.Call;

/**
 * The HTTP shape shared by SUBSCRIBE and every other call (apache/mesos {@code docs/scheduler-http-api.md},
 * "Calls"): POST of a binary protobuf {@code Call}, protobuf accepted back, the {@code Authorization} header when we
 * have one, and {@code Mesos-Stream-Id} on everything except SUBSCRIBE (which must never carry it).
 */
final class MesosRequests {

    static final String PROTOBUF = "application/x-protobuf";
    static final String STREAM_ID_HEADER = "Mesos-Stream-Id";

    private MesosRequests() {
    }

    static HttpRequest post(URI endpoint, Call call, Optional<String> authorization, Optional<String> streamId,
            Optional<Duration> timeout) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(endpoint)
                // libprocess speaks HTTP/1.1; avoid the JDK's h2c upgrade attempt on cleartext connections.
                .version(HttpClient.Version.HTTP_1_1)
                .header("Content-Type", PROTOBUF)
                .header("Accept", PROTOBUF)
                .POST(HttpRequest.BodyPublishers.ofByteArray(call.toByteArray()));
        authorization.ifPresent(value -> builder.header("Authorization", value));
        streamId.ifPresent(id -> builder.header(STREAM_ID_HEADER, id));
        timeout.ifPresent(builder::timeout);
        return builder.build();
    }

    /** Reads at most {@code limit} bytes of an error body as text: enough for a message, never a whole stream. */
    static String readErrorBody(InputStream in, int limit) {
        try (in) {
            return new String(in.readNBytes(limit), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
