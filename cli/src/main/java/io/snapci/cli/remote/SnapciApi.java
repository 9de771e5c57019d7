package io.snapci.cli.remote;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.snapci.model.ApiError;
import io.snapci.model.Json;
import io.snapci.model.RunStatus;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * The snapci REST API v1 (docs/api.md) as the CLI calls it. Every failure becomes an {@link ApiFailure} carrying the
 * server's message and a hint. Plain {@link HttpURLConnection}s, because an event stream needs a read timeout (a
 * silent, half-dead connection must be noticed) and TLS trust is set per connection.
 */
public final class SnapciApi {

    /** Runs written by a newer server may carry fields this CLI does not know: read leniently. */
    static final ObjectMapper JSON = Json.mapper().copy().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private static final int CONNECT_TIMEOUT_MILLIS = 10_000;
    private static final int READ_TIMEOUT_MILLIS = 60_000;
    private static final String JSON_TYPE = "application/json";
    /** Logs are text, JUnit is XML; errors come as JSON whatever was asked for. */
    private static final String ANY_TYPE = "*/*";

    private final ServiceEndpoint endpoint;
    private final TlsTrust tls;

    public SnapciApi(ServiceEndpoint endpoint) {
        this.endpoint = endpoint;
        this.tls = TlsTrust.of(endpoint);
    }

    public ServiceEndpoint endpoint() {
        return endpoint;
    }

    public JsonNode get(String path) {
        return json(call("GET", path, null, JSON_TYPE));
    }

    public JsonNode post(String path, JsonNode body) {
        return json(call("POST", path, body, JSON_TYPE));
    }

    public JsonNode delete(String path) {
        return json(call("DELETE", path, null, JSON_TYPE));
    }

    public RunStatus run(String runId) {
        return toRun(get("v1/runs/" + runId));
    }

    public static RunStatus toRun(JsonNode node) {
        try {
            return JSON.treeToValue(node, RunStatus.class);
        } catch (IOException e) {
            throw ApiFailure.noAnswer("the service answered a run this CLI cannot read: "
                    + e.getMessage(), "use a snapci CLI of the same version as the service");
        }
    }

    /** A text resource (logs). */
    public String text(String path) {
        return new String(call("GET", path, null, ANY_TYPE).body, StandardCharsets.UTF_8);
    }

    /** A resource that may rightly not exist (a run's JUnit XML): empty on 404, the server's reason in {@code why}. */
    public Optional<byte[]> optional(String path, StringBuilder why) {
        try {
            return Optional.of(call("GET", path, null, ANY_TYPE).body);
        } catch (ApiFailure e) {
            if (e.status() == 404) {
                why.append(e.getMessage());
                return Optional.empty();
            }
            throw e;
        }
    }

    /**
     * Opens a server-sent event stream. The returned stream fails with a {@link SocketTimeoutException} after
     * {@code idle} without a byte: the server sends a comment every 15 s, so silence means the connection is dead.
     */
    public InputStream events(String path, Duration idle) {
        return events(path, idle, null);
    }

    /** The same, resuming after the event whose id was {@code lastEventId} (null: from now on). */
    public InputStream events(String path, Duration idle, String lastEventId) {
        HttpURLConnection connection = open("GET", path, (int) idle.toMillis(), "text/event-stream");
        if (lastEventId != null) {
            connection.setRequestProperty("Last-Event-ID", lastEventId);
        }
        long start = System.nanoTime();
        HttpTrace.request("GET", endpoint.resolve(path), connection, endpoint.token() != null);
        try {
            int status = connection.getResponseCode();
            HttpTrace.response(connection, status, start);
            if (status != 200) {
                throw failure(status, readAll(connection.getErrorStream()), path);
            }
            return connection.getInputStream();
        } catch (IOException e) {
            HttpTrace.failed(endpoint.resolve(path), e, start);
            throw unreachable(e);
        }
    }

    private record Answer(int status, byte[] body) {
    }

    private Answer call(String method, String path, JsonNode body, String accept) {
        HttpURLConnection connection = open(method, path, READ_TIMEOUT_MILLIS, accept);
        long start = System.nanoTime();
        try {
            if (body != null) {
                connection.setDoOutput(true);
                connection.setRequestProperty("Content-Type", "application/json");
            }
            HttpTrace.request(method, endpoint.resolve(path), connection, endpoint.token() != null);
            if (body != null) {
                try (OutputStream out = connection.getOutputStream()) {
                    out.write(JSON.writeValueAsBytes(body));
                }
            }
            int status = connection.getResponseCode();
            HttpTrace.response(connection, status, start);
            if (status >= 400) {
                throw failure(status, readAll(connection.getErrorStream()), path);
            }
            return new Answer(status, readAll(connection.getInputStream()));
        } catch (IOException e) {
            HttpTrace.failed(endpoint.resolve(path), e, start);
            throw unreachable(e);
        } finally {
            connection.disconnect();
        }
    }

    private HttpURLConnection open(String method, String path, int readTimeout, String accept) {
        URI uri = endpoint.resolve(path);
        try {
            HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection();
            tls.apply(connection);
            connection.setRequestMethod(method);
            connection.setConnectTimeout(CONNECT_TIMEOUT_MILLIS);
            connection.setReadTimeout(readTimeout);
            connection.setInstanceFollowRedirects(false);
            connection.setRequestProperty("Accept", accept);
            connection.setRequestProperty("User-Agent", "snapci-cli");
            if (endpoint.token() != null) {
                // The server accepts the Bearer scheme only; Admin Router passes the header on unchanged.
                connection.setRequestProperty("Authorization", "Bearer " + endpoint.token());
            }
            return connection;
        } catch (IOException | IllegalArgumentException e) {
            throw ApiFailure.noAnswer("cannot call " + uri + ": " + e.getMessage(), urlHint());
        }
    }

    private static JsonNode json(Answer answer) {
        if (answer.body.length == 0) {
            return JSON.createObjectNode();
        }
        try {
            return JSON.readTree(answer.body);
        } catch (IOException e) {
            throw new ApiFailure(new ApiError(answer.status, null, null,
                    "the service answered something that is not JSON: " + snippet(answer.body)),
                    "is the URL that of a snapci service?");
        }
    }

    private ApiFailure failure(int status, byte[] body, String path) {
        String error = null;
        String field = null;
        String message = null;
        try {
            JsonNode problem = JSON.readTree(body);
            if (problem != null && problem.hasNonNull("message")) {
                error = problem.path("error").asText(null);
                field = problem.path("field").asText(null);
                message = problem.get("message").asText();
            }
        } catch (IOException notJson) {
            // Not snapci's own answer (a proxy's, Admin Router's): said below.
        }
        if (message == null) {
            message = "HTTP " + status + " from " + endpoint.resolve(path) + (body.length == 0 ? ""
                    : ": " + snippet(body));
        }
        return new ApiFailure(new ApiError(status, error, field, message), hint(status, error));
    }

    private String hint(int status, String error) {
        return switch (status) {
            case 401 -> endpoint.dcos()
                    ? "log in to the cluster again (dcos auth login) and check that snapci accepts its ACS tokens"
                    : "give the service's API token with --token, --token-file or SNAPCI_TOKEN";
            case 403 -> "ask the snapci operator for a token that may do this";
            case 404 -> error == null || !error.equals("not_found") ? "is " + endpoint.base() + " a snapci service "
                    + "of this version? " + urlHint() : null;
            case 429 -> "the service is busy; retry in a while";
            case 502, 503, 504 -> "the service is not available right now (restarting or overloaded); retry";
            default -> null;
        };
    }

    private ApiFailure unreachable(IOException e) {
        String what = e instanceof ConnectException ? "connection refused"
                : e instanceof UnknownHostException ? "unknown host " + e.getMessage()
                : e instanceof SocketTimeoutException ? "no answer in time" : e.toString();
        return ApiFailure.noAnswer("cannot reach the snapci service at "
                + endpoint.base() + " (" + endpoint.origin() + "): " + what, urlHint());
    }

    private String urlHint() {
        return endpoint.dcos()
                ? "check the cluster (dcos cluster list) and the service name (--service-name, or dcos config set "
                + "snapci.service_name NAME)"
                : "check --url or SNAPCI_URL; `curl " + endpoint.resolve("v1/health") + "` should answer {\"status\": \"ok\"}";
    }

    private static byte[] readAll(InputStream in) throws IOException {
        if (in == null) {
            return new byte[0];
        }
        try (in) {
            return in.readAllBytes();
        }
    }

    private static String snippet(byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8).replaceAll("<[^>]*>", " ").replaceAll("\\s+", " ")
                .strip();
        return text.length() <= 200 ? text : text.substring(0, 200) + "...";
    }
}
