package io.snapci.cli.remote;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The DC/OS cluster snapci talks to when it runs as {@code dcos snapci ...}. The dcos CLI starts a plugin with
 * {@code DCOS_CLI_EXECUTABLE_PATH} set (that is how snapci knows) and, when a cluster is attached, with
 * {@code DCOS_URL}, {@code DCOS_ACS_TOKEN}, {@code DCOS_TLS_INSECURE=1} or {@code DCOS_TLS_CA_PATH}, and the
 * {@code snapci.*} config keys as {@code DCOS_SNAPCI_*}. Without those variables (older dcos CLIs) the cluster's
 * {@code dcos.toml} is read: {@code $DCOS_DIR} (default {@code ~/.dcos}) {@code /clusters/<id>/dcos.toml} of the
 * cluster {@code DCOS_CLUSTER} names, else of the attached one.
 *
 * @param url   the cluster's URL, without a trailing slash
 * @param token the ACS token of the logged-in user, or null
 */
record DcosCluster(String url, String token, boolean insecureTls, Path caFile, String configuredServiceName) {

    static final String PLUGIN_MARKER = "DCOS_CLI_EXECUTABLE_PATH";
    static final String DEFAULT_SERVICE_NAME = "snapci";

    /** Whether this process is the dcos CLI's subcommand. */
    static boolean isPlugin(Map<String, String> env) {
        return env.containsKey(PLUGIN_MARKER);
    }

    static DcosCluster from(Map<String, String> env) {
        Map<String, String> toml = env.containsKey("DCOS_URL") ? Map.of() : clusterToml(env);
        String url = firstOf(env.get("DCOS_URL"), toml.get("core.dcos_url"));
        if (url == null) {
            throw new UsageException("dcos snapci: no DC/OS cluster is attached",
                    "set one up with `dcos cluster setup https://<cluster>` (or `dcos cluster attach <name>`)");
        }
        String sslVerify = toml.getOrDefault("core.ssl_verify", "true");
        boolean insecure = "1".equals(env.get("DCOS_TLS_INSECURE")) || "false".equalsIgnoreCase(sslVerify);
        String caPath = firstOf(env.get("DCOS_TLS_CA_PATH"),
                "true".equalsIgnoreCase(sslVerify) || "false".equalsIgnoreCase(sslVerify) ? null : sslVerify);
        return new DcosCluster(url.replaceAll("/+$", ""), firstOf(env.get("DCOS_ACS_TOKEN"),
                toml.get("core.dcos_acs_token")), insecure, caPath == null ? null : Path.of(caPath),
                firstOf(env.get("DCOS_SNAPCI_SERVICE_NAME"), toml.get("snapci.service_name")));
    }

    /** {@code <cluster>/service/<name>/}: Admin Router routes it to the Marathon app of that name. */
    ServiceEndpoint endpoint(String serviceName, String tokenOverride) {
        String name = firstOf(serviceName, configuredServiceName, DEFAULT_SERVICE_NAME).replaceAll("^/+|/+$", "");
        return new ServiceEndpoint(java.net.URI.create(url + "/service/" + name + "/"),
                firstOf(tokenOverride, token), insecureTls, caFile, "DC/OS cluster " + url + ", service " + name, true);
    }

    private static Map<String, String> clusterToml(Map<String, String> env) {
        Path home = Path.of(firstOf(env.get("DCOS_DIR"), System.getProperty("user.home") + "/.dcos"));
        Path clusters = home.resolve("clusters");
        if (!Files.isDirectory(clusters)) {
            return Map.of();
        }
        String wanted = env.get("DCOS_CLUSTER");
        try (Stream<Path> dirs = Files.list(clusters)) {
            List<Path> candidates = dirs.filter(d -> Files.isRegularFile(d.resolve("dcos.toml"))).sorted().toList();
            for (Path dir : candidates) {
                Map<String, String> values = TomlValues.parse(Files.readString(dir.resolve("dcos.toml")));
                boolean chosen = wanted == null ? Files.exists(dir.resolve("attached"))
                        : dir.getFileName().toString().startsWith(wanted) || wanted.equals(values.get("cluster.name"));
                if (chosen) {
                    return values;
                }
            }
            return Map.of();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the dcos CLI's clusters in " + clusters, e);
        }
    }

    @SafeVarargs
    private static <T> T firstOf(T... values) {
        return Stream.of(values).filter(v -> v != null && !(v instanceof String s && s.isBlank())).findFirst()
                .orElse(null);
    }
}
