package io.snapci.server.auth;

import io.snapci.server.config.AuthConfig;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A caller is named by its token's position in the configuration, and that name is what the audit log keeps: it must
 * be the same in every serve process, whatever order a set would iterate in.
 */
class StaticTokensTest {

    @Test
    void eachTokenIsNamedByItsPositionInTheConfiguration() {
        Set<String> tokens = new LinkedHashSet<>();
        for (int i = 1; i <= 20; i++) {
            tokens.add("secret-" + i);
        }
        Authenticator auth = new Authenticator(new AuthConfig(tokens, Set.of("reader"), null, Set.of()),
                Clock.systemUTC());

        for (int i = 1; i <= 20; i++) {
            assertThat(auth.authenticate("Bearer secret-" + i).name()).isEqualTo("token#" + i);
        }
        assertThat(auth.authenticate("Bearer reader").name()).isEqualTo("read-only-token#21");
    }

    @Test
    void aTokenAddedLaterComesAfterTheConfiguredOnes() {
        Set<String> tokens = new LinkedHashSet<>(java.util.List.of("c", "a", "b"));
        AuthConfig config = new AuthConfig(tokens, Set.of(), null, Set.of()).withToken("demo");

        assertThat(config.tokens()).containsExactly("c", "a", "b", "demo");
    }
}
