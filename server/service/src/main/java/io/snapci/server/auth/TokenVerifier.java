package io.snapci.server.auth;

import java.util.Optional;

/** One way of accepting bearer tokens. */
interface TokenVerifier {

    /**
     * The caller the token stands for; empty when this verifier does not recognise it at all (another may).
     * Throws {@link AuthProblem} when it recognises the token and refuses it (a bad signature, an expired token).
     */
    Optional<Caller> verify(String token);
}
