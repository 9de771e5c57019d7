package io.snapci.server.config;

import java.nio.file.Path;
import java.util.Set;

/**
 * Who may call the API.
 *
 * @param tokens              static bearer tokens that may do everything
 * @param readOnlyTokens      static bearer tokens that may only read
 * @param dcosPublicKeyFile   the DC/OS cluster's PEM public key: ACS tokens it verifies are accepted; may be null
 * @param dcosAllowedUids     ACS uids allowed in; empty means any uid the cluster signed for
 */
public record AuthConfig(Set<String> tokens, Set<String> readOnlyTokens, Path dcosPublicKeyFile,
                         Set<String> dcosAllowedUids) {

    public AuthConfig {
        tokens = Set.copyOf(tokens);
        readOnlyTokens = Set.copyOf(readOnlyTokens);
        dcosAllowedUids = Set.copyOf(dcosAllowedUids);
    }

    public boolean anyConfigured() {
        return !tokens.isEmpty() || !readOnlyTokens.isEmpty() || dcosPublicKeyFile != null;
    }

    public AuthConfig withToken(String token) {
        Set<String> more = new java.util.HashSet<>(tokens);
        more.add(token);
        return new AuthConfig(more, readOnlyTokens, dcosPublicKeyFile, dcosAllowedUids);
    }

    /** Counts only: a configuration printed in a log must never carry a credential. */
    @Override
    public String toString() {
        return "AuthConfig[" + tokens.size() + " token(s), " + readOnlyTokens.size() + " read-only token(s), "
                + "dcosPublicKeyFile=" + dcosPublicKeyFile + ", dcosAllowedUids=" + dcosAllowedUids + "]";
    }
}
