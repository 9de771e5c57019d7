package io.snapci.tests.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Instant;
import java.util.Base64;

/** A DC/OS cluster's IAM signing key, made for the test: ACS tokens as {@code dcos auth login} would get them. */
final class AcsTokens {

    private final KeyPair cluster;

    AcsTokens() throws Exception {
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        this.cluster = rsa.generateKeyPair();
    }

    /** The public key as serve's {@code auth.dcos.publicKeyFile} takes it. */
    Path writePublicKey(Path file) throws Exception {
        return Files.writeString(file, "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(
                cluster.getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----\n");
    }

    /** An RS256 JWT for {@code uid}, expiring at {@code exp}. */
    String token(String uid, Instant exp) throws Exception {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String header = b64.encodeToString("{\"alg\":\"RS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        String claims = b64.encodeToString(("{\"uid\":\"" + uid + "\",\"exp\":" + exp.getEpochSecond() + "}")
                .getBytes(StandardCharsets.UTF_8));
        Signature rsa = Signature.getInstance("SHA256withRSA");
        rsa.initSign(cluster.getPrivate());
        rsa.update((header + "." + claims).getBytes(StandardCharsets.US_ASCII));
        return header + "." + claims + "." + b64.encodeToString(rsa.sign());
    }
}
