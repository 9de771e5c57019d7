package io.snapci.tests.mesos.agent;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.mesos.v1.Protos.Secret;

/**
 * What resolves a task's secrets on an executing agent: the agent's {@code --secret_resolver} module
 * (mesos 1.11.0 {@code src/secret/resolver.cpp}, {@code include/mesos/secret/resolver.hpp}).
 */
public interface SecretResolver {

    /** The secret could not be resolved; the text is the resolver's failure. */
    final class ResolveFailure extends Exception {
        public ResolveFailure(String message) {
            super(message);
        }
    }

    byte[] resolve(Secret secret) throws ResolveFailure;

    /**
     * Mesos' own resolver, used when the agent names no module ({@code DefaultSecretResolver},
     * src/secret/resolver.cpp:40-61): a VALUE is its own data; a REFERENCE cannot be resolved.
     */
    static SecretResolver mesosDefault() {
        return secret -> {
            if (secret.hasReference()) {
                throw new ResolveFailure("Default secret resolver cannot resolve references");
            }
            if (!secret.hasValue()) {
                throw new ResolveFailure("Secret has no value");
            }
            return secret.getValue().getData().toByteArray();
        };
    }

    /**
     * A secret store's resolver, as DC/OS Enterprise installs one on its agents: a REFERENCE is looked up by name in
     * {@code store}; a VALUE is its own data. The text for an unknown name is the peer's own (DC/OS's module is not
     * public): it names the secret, never a value. {@code secrets} is read at each resolve, so a test can add one
     * later, as an operator would with {@code dcos security secrets create}.
     */
    static SecretResolver store(Map<String, String> secrets) {
        return secret -> {
            if (!secret.hasReference()) {
                return mesosDefault().resolve(secret);
            }
            String value = secrets.get(secret.getReference().getName());
            if (value == null) {
                throw new ResolveFailure("Secret '" + secret.getReference().getName() + "' not found in the secret "
                        + "store");
            }
            return value.getBytes(StandardCharsets.UTF_8);
        };
    }
}
