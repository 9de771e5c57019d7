package io.snapci.tests.api;

import io.snapci.tests.support.LocalServe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Who may call a real serve: static tokens (full and read-only) and DC/OS ACS tokens (RS256 JWTs verified with the
 * cluster's public key, here a key pair made for the test). Only the health check is open.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiAuthTest {

    @TempDir
    static Path dir;

    private LocalServe server;
    private KeyPair cluster;
    private KeyPair stranger;

    @BeforeAll
    void start() throws Exception {
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        cluster = rsa.generateKeyPair();
        stranger = rsa.generateKeyPair();
        Path pem = dir.resolve("cluster-key.pem");
        Files.writeString(pem, "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(
                cluster.getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----\n");
        server = LocalServe.start(dir, Map.of("auth.dcos.publicKeyFile", pem.toString(),
                "auth.dcos.allowedUids", "ci-bot,release-bot"));
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void theHealthCheckIsOpenAndEverythingElseNeedsAToken() throws Exception {
        ApiClient anonymous = ApiClient.of(server, null);
        assertThat(anonymous.get("v1/health").status()).isEqualTo(200);
        assertThat(anonymous.get("v1/health").json().get("status").asText()).isEqualTo("ok");
        for (String path : new String[]{"v1/runs", "v1/runs/r20261125-000000-0000", "metrics", "no/such/path"}) {
            ApiClient.Reply reply = anonymous.get(path);
            assertThat(reply.status()).as(path).isEqualTo(401);
            assertThat(reply.json().get("message").asText()).contains("Authorization: Bearer");
            assertThat(reply.raw().headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v ->
                    assertThat(v).startsWith("Bearer"));
        }
        ApiClient.Reply post = anonymous.post("v1/runs", "{\"testCommand\": \"true\"}");
        assertThat(post.status()).isEqualTo(401);
        assertThat(runRecords()).isZero();
    }

    @Test
    void aWrongTokenOrSchemeIs401WithAClearMessage() throws Exception {
        ApiClient.Reply wrong = ApiClient.of(server, "not-the-token").get("v1/runs");
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.json().get("error").asText()).isEqualTo("unauthorized");
        assertThat(wrong.json().get("message").asText()).contains("not accepted");
        assertThat(wrong.body()).doesNotContain("not-the-token");

        ApiClient.Reply basic = ApiClient.of(server, null).send(ApiClient.of(server, null).request("v1/runs")
                .header("Authorization", "Basic dXNlcjpwYXNz").GET());
        assertThat(basic.status()).isEqualTo(401);
        assertThat(basic.json().get("message").asText()).contains("Bearer scheme");
    }

    @Test
    void aReadOnlyTokenReadsButMayNotSubmitOrCancel() throws Exception {
        ApiClient reader = ApiClient.of(server, LocalServe.READ_ONLY_TOKEN);
        assertThat(reader.get("v1/runs").status()).isEqualTo(200);
        ApiClient.Reply post = reader.post("v1/runs", "{\"testCommand\": \"true\"}");
        assertThat(post.status()).isEqualTo(403);
        assertThat(post.json().get("message").asText()).contains("may only read");
        assertThat(reader.delete("v1/runs/r20261125-000000-0000").status()).isEqualTo(403);
        assertThat(runRecords()).isZero();
    }

    @Test
    void anAcsTokenSignedByTheClusterIsAcceptedAndItsUidChecked() throws Exception {
        long in10Minutes = Instant.now().plusSeconds(600).getEpochSecond();
        String ciBot = jwt("RS256", cluster.getPrivate(), "ci-bot", in10Minutes);
        assertThat(ApiClient.of(server, ciBot).get("v1/runs").status()).isEqualTo(200);
        // DC/OS's own scheme, as the dcos CLI and Admin Router send an ACS token.
        ApiClient anonymous = ApiClient.of(server, null);
        assertThat(anonymous.send(anonymous.request("v1/runs").header("Authorization", "token=" + ciBot).GET())
                .status()).isEqualTo(200);

        ApiClient.Reply otherUid = ApiClient.of(server, jwt("RS256", cluster.getPrivate(), "intern", in10Minutes))
                .get("v1/runs");
        assertThat(otherUid.status()).isEqualTo(403);
        assertThat(otherUid.json().get("message").asText()).contains("'intern'", "auth.dcos.allowedUids");
    }

    @Test
    void anAcsTokenThatIsForgedExpiredOrNotRs256IsRefused() throws Exception {
        long in10Minutes = Instant.now().plusSeconds(600).getEpochSecond();
        ApiClient.Reply forged = ApiClient.of(server, jwt("RS256", stranger.getPrivate(), "ci-bot", in10Minutes))
                .get("v1/runs");
        assertThat(forged.status()).isEqualTo(401);
        assertThat(forged.json().get("message").asText()).contains("signature does not verify");

        ApiClient.Reply expired = ApiClient.of(server, jwt("RS256", cluster.getPrivate(), "ci-bot",
                Instant.now().minusSeconds(5).getEpochSecond())).get("v1/runs");
        assertThat(expired.status()).isEqualTo(401);
        assertThat(expired.json().get("message").asText()).contains("expired");

        String unsigned = b64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "."
                + b64("{\"uid\":\"ci-bot\",\"exp\":" + in10Minutes + "}") + ".";
        ApiClient.Reply none = ApiClient.of(server, unsigned).get("v1/runs");
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.json().get("message").asText()).contains("only RS256");
    }

    @Test
    void aTooLongTokenIsRefusedWithoutEcho() throws Exception {
        String huge = "x".repeat(9000);
        ApiClient.Reply reply = ApiClient.of(server, huge).get("v1/runs");
        assertThat(reply.status()).isIn(401, 400, 413, 431);
        assertThat(reply.body()).doesNotContain(huge);
    }

    private long runRecords() throws Exception {
        if (!Files.exists(server.runRecords())) {
            return 0;
        }
        try (var files = Files.list(server.runRecords())) {
            return files.count();
        }
    }

    private static String jwt(String alg, PrivateKey key, String uid, long exp) throws Exception {
        String input = b64("{\"alg\":\"" + alg + "\",\"typ\":\"JWT\"}") + "."
                + b64("{\"uid\":\"" + uid + "\",\"exp\":" + exp + "}");
        Signature signer = Signature.getInstance("SHA256withRSA");
        signer.initSign(key);
        signer.update(input.getBytes(StandardCharsets.US_ASCII));
        return input + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(signer.sign());
    }

    private static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

}
