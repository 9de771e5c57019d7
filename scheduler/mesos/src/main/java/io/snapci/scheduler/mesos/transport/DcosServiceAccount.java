package io.snapci.scheduler.mesos.transport;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.PrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * DC/OS service-account login ("Service Login" and "DC/OS Authentication Token" in the DC/OS security docs,
 * docs.mesosphere.com/1.13/security/oss/login/service-login/ and .../authentication/authentication-token/):
 * <ol>
 *   <li>build a service login token: an RS256 JWT with claims {@code {"uid": <service account>, "exp": <unix s>}},
 *       signed with the service account's private key; it is meant for one login, so it lives only briefly;</li>
 *   <li>POST {@code {"uid": ..., "token": <login token>}} to {@code /acs/api/v1/auth/login};</li>
 *   <li>the IAM answers {@code {"token": <DC/OS authentication token>}}, itself a JWT whose {@code exp} says when it
 *       stops being valid (five days by default);</li>
 *   <li>every request then carries {@code Authorization: token=<authentication token>}.</li>
 * </ol>
 * The token is cached and refreshed once {@value #REFRESH_FRACTION} of its lifetime has passed, so a long-running
 * scheduler never presents an expired one; {@link #invalidate()} (called after a 401) forces a new login. If a refresh
 * fails while the cached token has not yet expired, the cached token is still used: the IAM being briefly down must
 * not take the scheduler offline.
 */
public final class DcosServiceAccount implements Authenticator {

    /** Path of the IAM login endpoint on the cluster (admin router). */
    public static final String LOGIN_PATH = "/acs/api/v1/auth/login";

    static final double REFRESH_FRACTION = 0.8;
    static final Duration LOGIN_TOKEN_VALIDITY = Duration.ofMinutes(5);
    /** Used when the IAM token carries no usable {@code exp}: refresh often rather than never. */
    private static final Duration FALLBACK_LIFETIME = Duration.ofMinutes(10);
    private static final Duration LOGIN_TIMEOUT = Duration.ofSeconds(30);

    private final URI loginUri;
    private final String uid;
    private final PrivateKey privateKey;
    private final Clock clock;
    private final HttpClient http;

    private String token;
    private Instant refreshAt;
    private Instant expiresAt;

    public DcosServiceAccount(URI loginUri, String uid, String privateKeyPem, Clock clock, HttpClient http) {
        this.loginUri = Objects.requireNonNull(loginUri, "loginUri");
        this.uid = Objects.requireNonNull(uid, "uid");
        this.privateKey = PemKeys.rsaPrivateKey(Objects.requireNonNull(privateKeyPem, "privateKeyPem"));
        this.clock = Objects.requireNonNull(clock, "clock");
        this.http = Objects.requireNonNull(http, "http");
    }

    /** The login endpoint of a cluster given its base URL, e.g. {@code https://leader.mesos}. */
    public static URI loginUriFor(URI cluster) {
        return cluster.resolve(LOGIN_PATH);
    }

    @Override
    public synchronized Optional<String> authorizationHeader() throws IOException {
        Instant now = clock.instant();
        if (token == null || !now.isBefore(refreshAt)) {
            try {
                login(now);
            } catch (IOException e) {
                if (token == null || !now.isBefore(expiresAt)) {
                    throw e;
                }
                // Still valid for a while: keep serving it, the next call tries to refresh again.
            }
        }
        return Optional.of("token=" + token);
    }

    @Override
    public synchronized void invalidate() {
        token = null;
        refreshAt = null;
        expiresAt = null;
    }

    /** The service login token for one login: {@code {"uid", "exp"}} signed RS256 with our private key. */
    String serviceLoginToken(Instant now) {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("uid", uid);
        claims.put("exp", now.plus(LOGIN_TOKEN_VALIDITY).getEpochSecond());
        return Jwt.rs256(claims, privateKey);
    }

    private void login(Instant now) throws IOException {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("uid", uid);
        body.put("token", serviceLoginToken(now));
        HttpRequest request = HttpRequest.newBuilder(loginUri)
                .timeout(LOGIN_TIMEOUT)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(Jwt.JSON.writeValueAsBytes(body)))
                .build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted during DC/OS login");
        }
        if (response.statusCode() != 200) {
            throw new IOException("DC/OS login as '" + uid + "' at " + loginUri + " failed: HTTP "
                    + response.statusCode() + ": " + abbreviate(response.body()));
        }
        JsonNode tokenNode = Jwt.JSON.readTree(response.body()).get("token");
        if (tokenNode == null || !tokenNode.isTextual() || tokenNode.asText().isEmpty()) {
            throw new IOException("DC/OS login at " + loginUri + " answered without a token");
        }
        String newToken = tokenNode.asText();
        Duration lifetime = lifetime(newToken, now);
        token = newToken;
        expiresAt = now.plus(lifetime);
        refreshAt = now.plusMillis((long) (lifetime.toMillis() * REFRESH_FRACTION));
    }

    private static Duration lifetime(String token, Instant now) {
        try {
            return Jwt.expiry(token)
                    .map(exp -> Duration.between(now, exp))
                    .filter(d -> !d.isNegative() && !d.isZero())
                    .orElse(FALLBACK_LIFETIME);
        } catch (IllegalArgumentException notAJwt) {
            return FALLBACK_LIFETIME;
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 500 ? text : text.substring(0, 500) + "...";
    }

    @Override
    public String toString() {
        return "DcosServiceAccount[" + uid + " at " + loginUri + "]";
    }
}
