package io.snapci.scheduler.mesos.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.snapci.scheduler.core.testkit.MutableClock;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DcosServiceAccountTest {

    private static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");
    private static final long IAM_TOKEN_SECONDS = 100;

    private static KeyPair serviceAccountKeys;
    private static KeyPair iamKeys;

    private final MutableClock clock = new MutableClock(T0);
    private final List<JsonNode> loginBodies = new CopyOnWriteArrayList<>();
    private final AtomicInteger failWith = new AtomicInteger(0);
    private final AtomicInteger issued = new AtomicInteger();
    private HttpServer iam;

    @BeforeAll
    static void keys() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        serviceAccountKeys = generator.generateKeyPair();
        iamKeys = generator.generateKeyPair();
    }

    @BeforeEach
    void startIam() throws IOException {
        iam = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        iam.createContext(DcosServiceAccount.LOGIN_PATH, this::login);
        iam.start();
    }

    @AfterEach
    void stopIam() {
        iam.stop(0);
    }

    @Test
    void serviceLoginTokenIsAnRs256JwtWithUidAndExpSignedByTheServiceAccountKey() throws Exception {
        DcosServiceAccount account = account();
        String jwt = account.serviceLoginToken(T0);

        String[] parts = jwt.split("\\.");
        assertThat(parts).hasSize(3);
        assertThat(jwt).doesNotContain("=");
        JsonNode header = Jwt.JSON.readTree(Base64.getUrlDecoder().decode(parts[0]));
        assertThat(header.get("alg").asText()).isEqualTo("RS256");
        assertThat(header.get("typ").asText()).isEqualTo("JWT");
        JsonNode payload = Jwt.payload(jwt);
        assertThat(payload.get("uid").asText()).isEqualTo("snapci");
        assertThat(payload.get("exp").asLong())
                .isEqualTo(T0.plus(DcosServiceAccount.LOGIN_TOKEN_VALIDITY).getEpochSecond());
        assertThat(verifies(jwt, serviceAccountKeys.getPublic())).isTrue();
        assertThat(verifies(jwt, iamKeys.getPublic())).isFalse();
    }

    @Test
    void logsInCachesAndRefreshesAtEightyPercentOfTheTokenLifetime() throws Exception {
        DcosServiceAccount account = account();

        String first = account.authorizationHeader().orElseThrow();
        assertThat(first).startsWith("token=");
        assertThat(loginBodies).hasSize(1);
        JsonNode body = loginBodies.get(0);
        assertThat(body.get("uid").asText()).isEqualTo("snapci");
        assertThat(verifies(body.get("token").asText(), serviceAccountKeys.getPublic())).isTrue();

        clock.advance(Duration.ofSeconds(79));
        assertThat(account.authorizationHeader()).contains(first);
        assertThat(loginBodies).hasSize(1);

        clock.advance(Duration.ofSeconds(2)); // 81 s of 100: past the 80 % mark
        String second = account.authorizationHeader().orElseThrow();
        assertThat(second).isNotEqualTo(first);
        assertThat(loginBodies).hasSize(2);
        assertThat(Jwt.expiry(second.substring("token=".length())))
                .contains(clock.instant().plusSeconds(IAM_TOKEN_SECONDS));
    }

    @Test
    void invalidateForcesANewLogin() throws Exception {
        DcosServiceAccount account = account();
        String first = account.authorizationHeader().orElseThrow();
        assertThat(account.authorizationHeader()).contains(first);

        account.invalidate();
        String second = account.authorizationHeader().orElseThrow();

        assertThat(second).isNotEqualTo(first);
        assertThat(loginBodies).hasSize(2);
    }

    @Test
    void rejectedLoginFailsWithTheIamAnswer() {
        failWith.set(401);
        assertThatThrownBy(() -> account().authorizationHeader())
                .isInstanceOf(IOException.class)
                .hasMessageContaining("HTTP 401")
                .hasMessageContaining("login rejected");
    }

    @Test
    void keepsTheCachedTokenWhileValidIfARefreshFails() throws Exception {
        DcosServiceAccount account = account();
        String first = account.authorizationHeader().orElseThrow();

        failWith.set(500);
        clock.advance(Duration.ofSeconds(90)); // refresh due, token still valid for 10 s
        assertThat(account.authorizationHeader()).contains(first);

        clock.advance(Duration.ofSeconds(11)); // now expired
        assertThatThrownBy(account::authorizationHeader).hasMessageContaining("HTTP 500");
    }

    @Test
    void rejectsPkcs1Keys() {
        String pkcs1 = "-----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY-----\n";
        assertThatThrownBy(() -> new DcosServiceAccount(URI.create("http://x"), "u", pkcs1, clock,
                HttpClient.newHttpClient()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("openssl pkcs8 -topk8");
    }

    @Test
    void loginUriForACluster() {
        assertThat(DcosServiceAccount.loginUriFor(URI.create("https://leader.mesos")))
                .isEqualTo(URI.create("https://leader.mesos/acs/api/v1/auth/login"));
    }

    private DcosServiceAccount account() {
        URI login = URI.create("http://127.0.0.1:" + iam.getAddress().getPort() + DcosServiceAccount.LOGIN_PATH);
        return new DcosServiceAccount(login, "snapci", pem(serviceAccountKeys), clock, HttpClient.newHttpClient());
    }

    /** The IAM: checks the login request and issues a token valid for {@value #IAM_TOKEN_SECONDS} s. */
    private void login(HttpExchange exchange) throws IOException {
        try (exchange) {
            JsonNode body = Jwt.JSON.readTree(exchange.getRequestBody().readAllBytes());
            loginBodies.add(body);
            byte[] answer;
            int status = failWith.get();
            if (status != 0) {
                answer = "{\"title\":\"login rejected\"}".getBytes(StandardCharsets.UTF_8);
            } else {
                status = 200;
                String token = Jwt.rs256(Map.of("uid", body.get("uid").asText(),
                        "exp", clock.instant().plusSeconds(IAM_TOKEN_SECONDS).getEpochSecond(),
                        "n", issued.incrementAndGet()), iamKeys.getPrivate());
                answer = Jwt.JSON.writeValueAsBytes(Map.of("token", token));
            }
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, answer.length);
            exchange.getResponseBody().write(answer);
        }
    }

    static String pem(KeyPair keys) {
        String base64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(keys.getPrivate().getEncoded());
        return "-----BEGIN PRIVATE KEY-----\n" + base64 + "\n-----END PRIVATE KEY-----\n";
    }

    private static boolean verifies(String jwt, PublicKey key) throws Exception {
        int lastDot = jwt.lastIndexOf('.');
        Signature rsa = Signature.getInstance("SHA256withRSA");
        rsa.initVerify(key);
        rsa.update(jwt.substring(0, lastDot).getBytes(StandardCharsets.US_ASCII));
        return rsa.verify(Base64.getUrlDecoder().decode(jwt.substring(lastDot + 1)));
    }
}
