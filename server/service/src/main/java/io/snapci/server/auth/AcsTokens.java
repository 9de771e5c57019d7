package io.snapci.server.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;

/**
 * DC/OS ACS tokens: compact JWTs signed RS256 by the cluster's IAM, carrying the caller's {@code uid} and an
 * {@code exp}. Verified here with the cluster's public key; only RS256 is accepted (never "none", never an HMAC
 * that a public key could be abused to forge). An ACS token may do everything unless its uid is not allowed.
 */
final class AcsTokens implements TokenVerifier {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Decoder B64URL = Base64.getUrlDecoder();

    private final PublicKey clusterKey;
    private final Set<String> allowedUids;
    private final Clock clock;

    AcsTokens(PublicKey clusterKey, Set<String> allowedUids, Clock clock) {
        this.clusterKey = clusterKey;
        this.allowedUids = allowedUids;
        this.clock = clock;
    }

    @Override
    public Optional<Caller> verify(String token) {
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) {
            return Optional.empty();  // not a JWT: not ours to judge
        }
        JsonNode header = decode(parts[0], "header");
        if (!"RS256".equals(header.path("alg").asText())) {
            throw AuthProblem.unauthenticated("the ACS token is signed with '" + header.path("alg").asText()
                    + "'; only RS256 tokens from the cluster's IAM are accepted");
        }
        if (!signatureMatches(parts)) {
            throw AuthProblem.unauthenticated("the ACS token's signature does not verify with the cluster's public "
                    + "key; log in to this cluster again (dcos auth login) and use its token");
        }
        JsonNode claims = decode(parts[1], "payload");
        Instant now = clock.instant();
        JsonNode exp = claims.get("exp");
        if (exp == null || !exp.isNumber()) {
            throw AuthProblem.unauthenticated("the ACS token has no expiry (exp); use a token issued by the IAM");
        }
        if (!now.isBefore(Instant.ofEpochSecond(exp.asLong()))) {
            throw AuthProblem.unauthenticated("the ACS token expired at " + Instant.ofEpochSecond(exp.asLong())
                    + "; log in again (dcos auth login) for a fresh one");
        }
        JsonNode nbf = claims.get("nbf");
        if (nbf != null && nbf.isNumber() && now.isBefore(Instant.ofEpochSecond(nbf.asLong()))) {
            throw AuthProblem.unauthenticated("the ACS token is not valid before " + Instant.ofEpochSecond(nbf.asLong()));
        }
        String uid = claims.path("uid").asText("");
        if (uid.isEmpty()) {
            throw AuthProblem.unauthenticated("the ACS token names no uid");
        }
        if (!allowedUids.isEmpty() && !allowedUids.contains(uid)) {
            throw AuthProblem.forbidden("the ACS uid '" + uid + "' is not allowed to use snapci; ask an operator to "
                    + "add it to auth.dcos.allowedUids");
        }
        return Optional.of(new Caller("uid:" + uid, true));
    }

    private boolean signatureMatches(String[] parts) {
        try {
            Signature rsa = Signature.getInstance("SHA256withRSA");
            rsa.initVerify(clusterKey);
            rsa.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            return rsa.verify(B64URL.decode(parts[2]));
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            return false;
        }
    }

    private static JsonNode decode(String part, String what) {
        try {
            JsonNode node = JSON.readTree(B64URL.decode(part));
            if (node == null || !node.isObject()) {
                throw new IOException("not a JSON object");
            }
            return node;
        } catch (IOException | IllegalArgumentException e) {
            throw AuthProblem.unauthenticated("the token looks like a JWT but its " + what + " cannot be read");
        }
    }
}
