package io.snapci.tests.support;

import io.snapci.server.SnapciServer;
import io.snapci.server.config.ServeConfigLoader;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A real {@code snapci serve} in this JVM for a test to talk to (the API's, the CLI's, the web UI's): local mode, a
 * free loopback port, its own work root under the test's directory, configured through the same loader as the
 * command (the flags layer; no file, no environment). It accepts {@link #TOKEN} for everything and
 * {@link #READ_ONLY_TOKEN} for reading; a test's own settings add to that or override it.
 */
public final class LocalServe implements AutoCloseable {

    public static final String TOKEN = "tok-9f1c2e7a-full-access";
    public static final String READ_ONLY_TOKEN = "tok-51b0d3c4-read-only";

    private final SnapciServer server;
    private final Path workRoot;

    private LocalServe(SnapciServer server, Path workRoot) {
        this.server = server;
        this.workRoot = workRoot;
    }

    /** Serves with {@code dir} as the runs' default working directory and {@code dir/work} as the work root. */
    public static LocalServe start(Path dir, Map<String, String> settings) throws IOException {
        Path workRoot = dir.resolve("work");
        Map<String, String> flags = new LinkedHashMap<>();
        flags.put("http.port", "0");
        flags.put("local.workRoot", workRoot.toString());
        flags.put("local.workDir", dir.toString());
        flags.put("auth.tokens", TOKEN);
        flags.put("auth.readOnlyTokens", READ_ONLY_TOKEN);
        flags.putAll(settings);
        return new LocalServe(SnapciServer.start(ServeConfigLoader.load(null, Map.of(), flags)), workRoot);
    }

    public URI baseUri() {
        return server.baseUri();
    }

    /** Copies, run directories and run records live under it; Cassandra's command lines mention it. */
    public Path workRoot() {
        return workRoot;
    }

    public Path clones() {
        return workRoot.resolve("clones");
    }

    public Path runRecords() {
        return workRoot.resolve("state").resolve("runs");
    }

    @Override
    public void close() {
        server.close();
    }
}
