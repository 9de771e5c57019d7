package io.snapci.server.auth;

import io.snapci.server.config.AuthConfig;
import io.snapci.server.config.ConfigException;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Decides who an {@code Authorization} header stands for: static tokens first, then the cluster's ACS tokens. */
public final class Authenticator {

    /** Longer than any real token; a longer header is refused before any work is done on it. */
    static final int MAX_TOKEN_LENGTH = 8192;
    private static final String BEARER = "Bearer ";
    /** DC/OS's own scheme, what the dcos CLI and older Admin Routers send with an ACS token. */
    private static final String DCOS_TOKEN = "token=";

    private final List<TokenVerifier> verifiers = new ArrayList<>();

    public Authenticator(AuthConfig config, Clock clock) {
        if (!config.anyConfigured()) {
            throw new ConfigException("no way to authenticate clients is configured: set auth.tokens, "
                    + "auth.tokensFile or auth.dcos.publicKeyFile");
        }
        verifiers.add(new StaticTokens(config.tokens(), config.readOnlyTokens()));
        if (config.dcosPublicKeyFile() != null) {
            try {
                verifiers.add(new AcsTokens(PublicKeys.rsa(Files.readString(config.dcosPublicKeyFile())),
                        config.dcosAllowedUids(), clock));
            } catch (IOException | IllegalArgumentException e) {
                throw new ConfigException("auth.dcos.publicKeyFile = " + config.dcosPublicKeyFile() + ": "
                        + e.getMessage(), e);
            }
        }
    }

    /** The caller, or an {@link AuthProblem} that says what is wrong with the header. */
    public Caller authenticate(String authorizationHeader) {
        if (authorizationHeader == null || authorizationHeader.isBlank()) {
            throw AuthProblem.unauthenticated("no bearer token: send the header 'Authorization: Bearer <token>' "
                    + "with a token from the snapci operator (or your DC/OS login token)");
        }
        String token;
        if (authorizationHeader.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            token = authorizationHeader.substring(BEARER.length()).strip();
        } else if (authorizationHeader.startsWith(DCOS_TOKEN)) {
            token = authorizationHeader.substring(DCOS_TOKEN.length()).strip();
        } else {
            throw AuthProblem.unauthenticated("the Authorization header must use the Bearer scheme: "
                    + "'Authorization: Bearer <token>' (or DC/OS's 'token=<ACS token>')");
        }
        if (token.isEmpty() || token.length() > MAX_TOKEN_LENGTH) {
            throw AuthProblem.unauthenticated("the bearer token is empty or longer than " + MAX_TOKEN_LENGTH
                    + " characters");
        }
        for (TokenVerifier verifier : verifiers) {
            Optional<Caller> caller = verifier.verify(token);
            if (caller.isPresent()) {
                return caller.get();
            }
        }
        throw AuthProblem.unauthenticated("the bearer token is not accepted by this snapci server; check that "
                + "it is the current token for this server");
    }
}
