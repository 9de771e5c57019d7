package io.snapci.scheduler.mesos.transport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

/**
 * The little of RFC 7519 we need, done with the JDK: sign an RS256 token (the DC/OS service login token, see
 * {@link DcosServiceAccount}) and read the {@code exp} claim of the token the IAM returns. We never verify the IAM's
 * token: the master does; we only read {@code exp} to know when to refresh.
 */
final class Jwt {

    static final ObjectMapper JSON = new ObjectMapper();

    private static final String RS256_HEADER = "{\"alg\":\"RS256\",\"typ\":\"JWT\"}";
    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

    private Jwt() {
    }

    /** {@code base64url(header).base64url(claims).base64url(SHA256withRSA signature)}. */
    static String rs256(Map<String, ?> claims, PrivateKey key) {
        try {
            String signingInput = B64URL.encodeToString(RS256_HEADER.getBytes(StandardCharsets.UTF_8)) + "."
                    + B64URL.encodeToString(JSON.writeValueAsBytes(claims));
            Signature rsa = Signature.getInstance("SHA256withRSA");
            rsa.initSign(key);
            rsa.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + B64URL.encodeToString(rsa.sign());
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign the JWT: " + e.getMessage(), e);
        }
    }

    /** The decoded payload (claims) of a compact JWT, without checking its signature. */
    static JsonNode payload(String token) {
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) {
            throw new IllegalArgumentException("not a compact JWT (expected 3 dot-separated parts)");
        }
        try {
            return JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot decode the JWT payload: " + e.getMessage(), e);
        }
    }

    /** The {@code exp} claim (NumericDate: seconds since the epoch), when present and numeric. */
    static Optional<Instant> expiry(String token) {
        JsonNode exp = payload(token).get("exp");
        return exp != null && exp.isNumber() ? Optional.of(Instant.ofEpochSecond(exp.asLong())) : Optional.empty();
    }
}
