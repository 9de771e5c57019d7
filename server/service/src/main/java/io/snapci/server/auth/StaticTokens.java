package io.snapci.server.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Tokens from the configuration. Only their SHA-256 digests are kept, and a presented token is compared against
 * every one in constant time, so neither memory dumps nor response timing give a token away.
 */
final class StaticTokens implements TokenVerifier {

    private record Known(byte[] digest, Caller caller) {
    }

    private final List<Known> known = new ArrayList<>();

    StaticTokens(Set<String> tokens, Set<String> readOnlyTokens) {
        int n = 0;
        for (String token : tokens) {
            known.add(new Known(digest(token), new Caller("token#" + ++n, true)));
        }
        for (String token : readOnlyTokens) {
            known.add(new Known(digest(token), new Caller("read-only-token#" + ++n, false)));
        }
    }

    @Override
    public Optional<Caller> verify(String token) {
        byte[] presented = digest(token);
        Caller match = null;
        for (Known k : known) {
            if (MessageDigest.isEqual(k.digest, presented)) {
                match = k.caller;
            }
        }
        return Optional.ofNullable(match);
    }

    private static byte[] digest(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
