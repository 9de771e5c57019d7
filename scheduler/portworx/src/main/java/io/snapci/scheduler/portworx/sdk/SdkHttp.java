package io.snapci.scheduler.portworx.sdk;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.snapci.model.tls.ClusterTrust;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;

/**
 * One HTTP exchange with the gateway: JSON in, JSON out, the bearer token when there is one, TLS trusting the
 * JDK's, the cluster's and the configured CAs, and every failure turned into an {@link SdkException} with
 * Portworx's message. No retries here.
 */
final class SdkHttp {

    /** The setting a refused certificate's message names (serve's configuration key). */
    static final String CA_SETTING = "portworx.caFile";

    private final SdkConfig config;
    private final HttpClient http;

    SdkHttp(SdkConfig config) {
        this.config = config;
        this.http = ClusterTrust.of(config.clusterCaBundle(), config.caCertificate(), CA_SETTING)
                .httpClientBuilder().connectTimeout(config.connectTimeout())
                .version(HttpClient.Version.HTTP_1_1).build();
    }

    /** Sends {@code body} (or nothing) and returns the response body of a 2xx answer. */
    byte[] exchange(String method, String pathAndQuery, Object body) throws SdkException {
        String call = method + " " + pathAndQuery.replaceFirst("\\?.*", "");
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base() + pathAndQuery))
                .timeout(config.requestTimeout())
                .header("Accept", "application/json");
        if (config.token() != null) {
            // The SDK's auth interceptor reads "bearer <token>" (openstorage api/server/sdk server_interceptors.go)
            request.header("Authorization", "bearer " + config.token());
        }
        try {
            if (body != null) {
                request.header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofByteArray(SdkJson.mapper().writeValueAsBytes(body)));
            } else {
                request.method(method, HttpRequest.BodyPublishers.noBody());
            }
        } catch (JsonProcessingException e) {
            throw new SdkException(GrpcCode.INTERNAL, 0, "could not write the request: " + e.getMessage(), call, e);
        }
        HttpResponse<byte[]> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (HttpTimeoutException e) {
            throw new SdkException(GrpcCode.DEADLINE_EXCEEDED, 0, "no answer within "
                    + config.requestTimeout().toMillis() + " ms", call, e);
        } catch (javax.net.ssl.SSLHandshakeException e) {
            // Not worth a retry: the same certificate will be refused again until the configuration changes.
            // The message already says what is trusted (ClusterTrust); the setting is named again for a refusal
            // that is not about the CA (a host name the certificate does not cover).
            throw new SdkException(GrpcCode.UNAUTHENTICATED, 0, base() + " presented a TLS certificate this "
                    + "scheduler does not trust (" + e.getMessage() + "); check " + CA_SETTING, call, e);
        } catch (ConnectException e) {
            throw new SdkException(GrpcCode.UNAVAILABLE, 0, "cannot connect to " + base() + " (" + e + ")", call, e);
        } catch (IOException e) {
            throw new SdkException(GrpcCode.UNAVAILABLE, 0, "connection to " + base() + " failed: " + e, call, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SdkException(GrpcCode.CANCELLED, 0, "interrupted", call, e);
        }
        int status = response.statusCode();
        if (status / 100 == 2) {
            return response.body();
        }
        throw decodeError(status, response.body(), call);
    }

    private static SdkException decodeError(int status, byte[] body, String call) {
        GrpcCode code = GrpcCode.fromHttpStatus(status);
        String message = null;
        boolean grpcStatus = false;
        try {
            Messages.ErrorBody error = SdkJson.mapper().readValue(body, Messages.ErrorBody.class);
            if (error != null && error.code() != null) {
                code = GrpcCode.of(error.code());
                grpcStatus = true;
            }
            if (error != null) {
                message = error.message() != null && !error.message().isEmpty() ? error.message() : error.error();
            }
        } catch (IOException notJson) {
            message = null; // a proxy's HTML page or an empty body: the HTTP status is all there is
        }
        if (message == null || message.isBlank()) {
            String text = new String(body, java.nio.charset.StandardCharsets.UTF_8).strip();
            message = text.isEmpty() ? "HTTP " + status + " with no message"
                    : text.substring(0, Math.min(200, text.length()));
        }
        return new SdkException(code, status, message, call, null, grpcStatus);
    }

    private String base() {
        String text = config.endpoint().toString();
        return text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
    }
}
