package io.snapci.cli;

import io.snapci.server.SnapciServer;
import io.snapci.server.config.ConfigException;
import io.snapci.server.config.ConfigKey;
import io.snapci.server.config.ServeConfig;
import io.snapci.server.config.ServeConfigLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code snapci serve}: the REST API (docs/api.md), as a Marathon app runs it. Configuration comes from a file,
 * SNAPCI_* environment variables and flags, each overriding the one before. SIGTERM shuts down gracefully.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Serve the snapci REST API v1: CI jobs submit runs over HTTP and follow them.",
                "Configuration: --config FILE (properties), then SNAPCI_* environment variables, then flags. "
                        + "Keys: see --set."})
public final class ServeCommand implements Callable<Integer> {

    @Option(names = "--config", paramLabel = "FILE", description = "A properties file of configuration keys.")
    Path configFile;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "Any configuration key, e.g. --set runs.maxConcurrent=4. Keys: ${sys:snapci.serve.keys}")
    Map<String, String> settings = new LinkedHashMap<>();

    @Option(names = "--mode", paramLabel = "MODE", description = "local (default) or mesos.")
    String mode;

    @Option(names = "--host", paramLabel = "ADDRESS", description = "Address to listen on (default 127.0.0.1).")
    String host;

    @Option(names = "--port", paramLabel = "PORT", description = "Port to listen on (default 8484; $PORT0 on Marathon).")
    Integer port;

    @Option(names = "--work-root", paramLabel = "DIR", description = "Local mode: copies, logs and run records.")
    Path workRoot;

    static {
        System.setProperty("snapci.serve.keys", ConfigKey.knownKeys());
    }

    @Override
    public Integer call() throws InterruptedException {
        return execute(System.out, System.err);
    }

    int execute(PrintStream out, PrintStream err) throws InterruptedException {
        // The CLI logs warnings only (simplelogger.properties); a server's requests and lifecycle are its log.
        System.setProperty("org.slf4j.simpleLogger.log.snapci", "info");
        SnapciServer server;
        try {
            server = SnapciServer.start(ServeConfigLoader.load(configFile, System.getenv(), flags()));
        } catch (ConfigException e) {
            err.println("snapci serve: " + e.getMessage());
            return ExitCodes.USAGE;
        } catch (IOException e) {
            err.println("snapci serve: " + e.getMessage());
            return ExitCodes.INFRASTRUCTURE;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "snapci-serve-shutdown"));
        out.println("snapci serve: listening on " + server.baseUri() + " (GET " + server.baseUri() + "v1/health)");
        out.flush();
        server.awaitStopped();
        return 0;
    }

    private Map<String, String> flags() {
        Map<String, String> flags = new LinkedHashMap<>(settings);
        putIfSet(flags, ConfigKey.MODE, mode);
        putIfSet(flags, ConfigKey.HTTP_HOST, host);
        putIfSet(flags, ConfigKey.HTTP_PORT, port == null ? null : port.toString());
        putIfSet(flags, ConfigKey.LOCAL_WORK_ROOT, workRoot == null ? null : workRoot.toString());
        return flags;
    }

    private static void putIfSet(Map<String, String> flags, ConfigKey key, String value) {
        if (value != null) {
            flags.put(key.key(), value);
        }
    }

    /** For tests and embedding: the configuration these flags give, with {@code env} as the environment. */
    ServeConfig config(Map<String, String> env) {
        return ServeConfigLoader.load(configFile, env, flags());
    }
}
