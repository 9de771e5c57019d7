package io.snapci.tests.api;

import io.snapci.server.SnapciServer;
import io.snapci.server.config.ServeConfig;
import io.snapci.server.config.ServeConfigLoader;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A real {@code snapci serve} in this JVM, local mode, on a free loopback port, with its own work root: configured
 * through the same loader as the command (flags layer), no environment.
 */
final class ApiServer implements AutoCloseable {

    static final String TOKEN = "tok-9f1c2e7a-full-access";
    static final String READ_ONLY_TOKEN = "tok-51b0d3c4-read-only";

    final SnapciServer server;
    final Path workRoot;

    private ApiServer(SnapciServer server, Path workRoot) {
        this.server = server;
        this.workRoot = workRoot;
    }

    static ApiServer start(Path dir, Map<String, String> extra) throws Exception {
        Path workRoot = dir.resolve("work");
        Map<String, String> flags = new LinkedHashMap<>();
        flags.put("http.port", "0");
        flags.put("local.workRoot", workRoot.toString());
        flags.put("local.workDir", dir.toString());
        flags.put("auth.tokens", TOKEN);
        flags.put("auth.readOnlyTokens", READ_ONLY_TOKEN);
        flags.put("shutdown.timeout", "60s");
        flags.putAll(extra);
        ServeConfig config = ServeConfigLoader.load(null, Map.of(), flags);
        return new ApiServer(SnapciServer.start(config), workRoot);
    }

    ApiClient client() {
        return new ApiClient(server.baseUri(), TOKEN);
    }

    ApiClient client(String token) {
        return new ApiClient(server.baseUri(), token);
    }

    Path clones() {
        return workRoot.resolve("clones");
    }

    Path runRecords() {
        return workRoot.resolve("state").resolve("runs");
    }

    @Override
    public void close() {
        server.close();
    }
}
