package io.snapci.server.config;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Who may call the API.
 *
 * <p>Tokens keep the order they were configured in: a caller is named by its token's position ("token#2", in the
 * audit log and the logs), which must not change when serve restarts.
 *
 * @param tokens              static bearer tokens that may do everything
 * @param readOnlyTokens      static bearer tokens that may only read
 * @param dcosPublicKeyFile   the DC/OS cluster's PEM public key: ACS tokens it verifies are accepted; may be null
 * @param dcosAllowedUids     ACS uids allowed in; empty means any uid the cluster signed for
 */
public record AuthConfig(Set<String> tokens, Set<String> readOnlyTokens, Path dcosPublicKeyFile,
                         Set<String> dcosAllowedUids) {

    public AuthConfig {
        tokens = inOrder(tokens);
        readOnlyTokens = inOrder(readOnlyTokens);
        dcosAllowedUids = Set.copyOf(dcosAllowedUids);
    }

    public boolean anyConfigured() {
        return !tokens.isEmpty() || !readOnlyTokens.isEmpty() || dcosPublicKeyFile != null;
    }

    public AuthConfig withToken(String token) {
        Set<String> more = new LinkedHashSet<>(tokens);
        more.add(token);
        return new AuthConfig(more, readOnlyTokens, dcosPublicKeyFile, dcosAllowedUids);
    }

    private static Set<String> inOrder(Set<String> items) {
        return Collections.unmodifiableSet(new LinkedHashSet<>(items));
    }

    /** Counts only: a configuration printed in a log must never carry a credential. */
    @Override
    public String toString() {
        return "AuthConfig[" + tokens.size() + " token(s), " + readOnlyTokens.size() + " read-only token(s), "
                + "dcosPublicKeyFile=" + dcosPublicKeyFile + ", dcosAllowedUids=" + dcosAllowedUids + "]";
    }
}
