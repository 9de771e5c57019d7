package io.snapci.scheduler.portworx.sdk;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Where the SDK gateway is and how to talk to it.
 *
 * @param endpoint       e.g. {@code https://portworx-api.portworx.svc:9021} (the REST gateway, not the gRPC port)
 * @param token          a bearer token when Portworx security is on, else {@code null}; sent as
 *                       {@code Authorization: bearer <token>}
 * @param caCertificate  a PEM file with the CA(s) that signed the gateway's certificate, for {@code https}
 *                       endpoints with a private CA ({@code portworx.caFile}), trusted besides the JDK's CAs and
 *                       the cluster's; {@code null}: no further CA
 * @param connectTimeout how long to wait for a connection
 * @param requestTimeout how long one call may take before it counts as timed out (and is retried)
 * @param retry          how often and how patiently transient failures are retried
 * @param clusterCaBundle the cluster's CA bundle (DC/OS strict mode: {@code $MESOS_SANDBOX/.ssl/ca-bundle.crt}),
 *                        trusted too; {@code null} outside such a cluster
 * @param volumeApi      OpenStorage's older volume REST API (Portworx serves it on :9001), for the group snapshot
 *                       the SDK lacks; {@code null}: asked at {@code endpoint}, where a gateway without it answers
 *                       404 and runs of several volumes snapshot them one after the other
 */
public record SdkConfig(URI endpoint, String token, Path caCertificate, Duration connectTimeout,
                        Duration requestTimeout, RetryPolicy retry, Path clusterCaBundle, URI volumeApi) {

    public static final int DEFAULT_REST_PORT = 9021;

    public SdkConfig {
        if (endpoint == null || endpoint.getScheme() == null || endpoint.getHost() == null
                || !(endpoint.getScheme().equals("http") || endpoint.getScheme().equals("https"))) {
            throw new IllegalArgumentException("the Portworx SDK endpoint must be an http(s) URL such as https://"
                    + "portworx-api:" + DEFAULT_REST_PORT + " (the REST gateway port), not '" + endpoint + "'");
        }
        if (caCertificate != null && !endpoint.getScheme().equals("https")) {
            throw new IllegalArgumentException("a CA certificate is set but the endpoint " + endpoint + " is plain"
                    + " http: use https://, or drop the CA");
        }
        if (token != null && token.isBlank()) {
            token = null;
        }
        connectTimeout = connectTimeout == null ? Duration.ofSeconds(5) : connectTimeout;
        requestTimeout = requestTimeout == null ? Duration.ofSeconds(30) : requestTimeout;
        retry = retry == null ? RetryPolicy.defaults() : retry;
    }

    /** Plain defaults for an endpoint: no token, default CAs, 5 s to connect, 30 s per call, default retries. */
    public static SdkConfig of(URI endpoint) {
        return new SdkConfig(endpoint, null, null, null, null, null, null, null);
    }

    public SdkConfig withToken(String newToken) {
        return new SdkConfig(endpoint, newToken, caCertificate, connectTimeout, requestTimeout, retry,
                clusterCaBundle, volumeApi);
    }

    public SdkConfig withCaCertificate(Path ca) {
        return new SdkConfig(endpoint, token, ca, connectTimeout, requestTimeout, retry,
                clusterCaBundle, volumeApi);
    }

    public SdkConfig withClusterCaBundle(Path bundle) {
        return new SdkConfig(endpoint, token, caCertificate, connectTimeout, requestTimeout, retry, bundle, volumeApi);
    }

    public SdkConfig withTimeouts(Duration connect, Duration request) {
        return new SdkConfig(endpoint, token, caCertificate, connect, request, retry,
                clusterCaBundle, volumeApi);
    }

    public SdkConfig withRetry(RetryPolicy policy) {
        return new SdkConfig(endpoint, token, caCertificate, connectTimeout, requestTimeout, policy,
                clusterCaBundle, volumeApi);
    }

    public SdkConfig withVolumeApi(URI api) {
        return new SdkConfig(endpoint, token, caCertificate, connectTimeout, requestTimeout, retry, clusterCaBundle,
                api);
    }

    /** The same settings at another endpoint (the older volume REST API's). */
    public SdkConfig withEndpoint(URI other) {
        return new SdkConfig(other, token, caCertificate, connectTimeout, requestTimeout, retry, clusterCaBundle,
                null);
    }
}
