package io.snapci.server.wiring;

import io.snapci.server.config.ConfigException;
import io.snapci.server.config.ServeConfig;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.function.Consumer;

/**
 * Local mode with no authentication configured still requires a token: one is generated once into
 * {@code <workRoot>/api-token} (readable by its owner only) and reused on later starts. The log names the file,
 * never the token.
 */
public final class LocalApiToken {

    public static final String FILE = "api-token";

    private LocalApiToken() {
    }

    public static ServeConfig applyIfNeeded(ServeConfig config, Consumer<String> log) {
        if (config.mode() != ServeConfig.Mode.LOCAL || config.auth().anyConfigured()) {
            return config;
        }
        Path file = config.workRoot().resolve(FILE);
        try {
            if (!Files.isRegularFile(file)) {
                Files.createDirectories(config.workRoot());
                byte[] random = new byte[32];
                new SecureRandom().nextBytes(random);
                Path temp = Files.createTempFile(config.workRoot(), ".api-token", ".tmp",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.writeString(temp, Base64.getUrlEncoder().withoutPadding().encodeToString(random) + "\n");
                Files.move(temp, file);
            }
            String token = Files.readString(file, StandardCharsets.UTF_8).strip();
            log.accept("no auth.* configured: clients authenticate with the bearer token in " + file);
            return config.withAuth(config.auth().withToken(token));
        } catch (IOException e) {
            throw new ConfigException("no auth.* configured and cannot keep a generated token in " + file + ": "
                    + e.getMessage() + ". Set auth.tokensFile instead.", e);
        }
    }
}
