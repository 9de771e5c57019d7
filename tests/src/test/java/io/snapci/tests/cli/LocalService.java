package io.snapci.tests.cli;

import io.snapci.server.SnapciServer;
import io.snapci.server.config.ServeConfigLoader;

import java.net.URI;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A real {@code snapci serve} in this JVM (local mode, loopback, a free port, its own work root, real Cassandra
 * runs) for the CLI to talk to, and the environment a CLI process gets: none of this machine's CI or snapci
 * variables, so a test run inside a CI job is not mistaken for one.
 */
final class LocalService implements AutoCloseable {

    static final String TOKEN = "tok-cli-7d2f90a1";
    static final String READ_ONLY_TOKEN = "tok-cli-ro-33b8";

    final SnapciServer server;
    final Path workRoot;

    private LocalService(SnapciServer server, Path workRoot) {
        this.server = server;
        this.workRoot = workRoot;
    }

    static LocalService start(Path dir, Map<String, String> extra) throws Exception {
        Path workRoot = dir.resolve("service-work");
        Map<String, String> flags = new LinkedHashMap<>();
        flags.put("http.port", "0");
        flags.put("local.workRoot", workRoot.toString());
        flags.put("local.workDir", dir.toString());
        flags.put("auth.tokens", TOKEN);
        flags.put("auth.readOnlyTokens", READ_ONLY_TOKEN);
        flags.putAll(extra);
        return new LocalService(SnapciServer.start(ServeConfigLoader.load(null, Map.of(), flags)), workRoot);
    }

    URI url() {
        return server.baseUri();
    }

    Path clones() {
        return workRoot.resolve("clones");
    }

    /** The CLI's environment: scrubbed of CI and snapci variables, plus {@code extra}. */
    static Map<String, String> cliEnv(Map<String, String> extra) {
        Map<String, String> env = new HashMap<>();
        for (String name : System.getenv().keySet()) {
            if (name.startsWith("CI_") || name.startsWith("GITHUB_") || name.startsWith("SNAPCI_")
                    || name.startsWith("DCOS_") || name.equals("BUILD_TAG") || name.equals("CI")) {
                env.put(name, null);
            }
        }
        env.putAll(extra);
        return env;
    }

    @Override
    public void close() {
        server.close();
    }
}
