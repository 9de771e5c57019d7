package io.snapci.tests.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.snapci.tests.support.HttpReplies;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The DC/OS IAM's service login, as strict mode needs it (DC/OS 1.13 docs, "Service Login" and the IAM API
 * {@code POST /acs/api/v1/auth/login}): the body is {@code {"uid": ..., "token": <RS256 JWT of {uid, exp}>}}; the
 * IAM checks the signature against the public key registered for the service account, that the uid in the token is
 * the uid asked for and that it has not expired, and answers {@code {"token": <authentication token>}}; anything
 * else is 401 with {@code {"title": ..., "description": ..., "code": "ERR_INVALID_SERVICE_LOGIN_TOKEN"}}.
 * Issued tokens are opaque here (the real ones are JWTs too); {@link #isValid} is what the master peer asks.
 */
public final class IamPeer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final Map<String, PublicKey> accounts = new ConcurrentHashMap<>();
    private final Set<String> issued = ConcurrentHashMap.newKeySet();

    private IamPeer(HttpServer server) {
        this.server = server;
    }

    public static IamPeer start() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        IamPeer iam = new IamPeer(server);
        server.createContext("/acs/api/v1/auth/login", iam::login);
        server.start();
        return iam;
    }

    public URI loginUri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/acs/api/v1/auth/login");
    }

    public void addServiceAccount(String uid, PublicKey key) {
        accounts.put(uid, key);
    }

    /** The header value a request must carry: {@code token=<a token this IAM issued>}. */
    public boolean isValid(String authorizationHeader) {
        return authorizationHeader != null && authorizationHeader.startsWith("token=")
                && issued.contains(authorizationHeader.substring("token=".length()));
    }

    public int tokensIssued() {
        return issued.size();
    }

    private void login(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!"POST".equals(exchange.getRequestMethod())) {
                respond(exchange, 405, Map.of("title", "Method Not Allowed"));
                return;
            }
            JsonNode body = JSON.readTree(exchange.getRequestBody());
            String uid = body.path("uid").asText("");
            String loginToken = body.path("token").asText("");
            String problem = check(uid, loginToken);
            if (problem != null) {
                respond(exchange, 401, Map.of("title", "Unauthorized", "description", problem,
                        "code", "ERR_INVALID_SERVICE_LOGIN_TOKEN"));
                return;
            }
            String token = "iam-" + UUID.randomUUID();
            issued.add(token);
            respond(exchange, 200, Map.of("token", token));
        }
    }

    /** Why the login token is refused, or null when it is good. */
    private String check(String uid, String jwt) {
        PublicKey key = accounts.get(uid);
        if (key == null) {
            return "Service account " + uid + " does not exist";
        }
        String[] parts = jwt.split("\\.");
        if (parts.length != 3) {
            return "The service login token is not a JWT";
        }
        try {
            JsonNode header = JSON.readTree(Base64.getUrlDecoder().decode(parts[0]));
            if (!"RS256".equals(header.path("alg").asText())) {
                return "The service login token must be signed RS256";
            }
            Signature rs256 = Signature.getInstance("SHA256withRSA");
            rs256.initVerify(key);
            rs256.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            if (!rs256.verify(Base64.getUrlDecoder().decode(parts[2]))) {
                return "The service login token's signature does not verify";
            }
            JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
            if (!uid.equals(claims.path("uid").asText())) {
                return "The service login token is for another uid";
            }
            if (!claims.has("exp") || claims.get("exp").asLong() <= Instant.now().getEpochSecond()) {
                return "The service login token has expired";
            }
            return null;
        } catch (Exception e) {
            return "The service login token cannot be read: " + e.getMessage();
        }
    }

    private static void respond(HttpExchange exchange, int status, Map<String, String> body) throws IOException {
        HttpReplies.send(exchange, status, "application/json", JSON.writeValueAsBytes(body));
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
