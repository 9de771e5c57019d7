package io.snapci.cli.remote;

import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The DC/OS cluster snapci talks to when it runs as {@code dcos snapci ...}. Every value comes from the environment
 * first, then from the cluster's {@code dcos.toml} ({@link ClusterToml}), as dcos-commons' CLI resolves them:
 * <ul>
 *   <li>dcos CLI 1.x passes {@code DCOS_URL}, {@code DCOS_ACS_TOKEN}, {@code DCOS_TLS_INSECURE=1} or
 *       {@code DCOS_TLS_CA_PATH}, and the {@code snapci.*} settings as {@code DCOS_SNAPCI_*};</li>
 *   <li>dcos CLI 0.7 to 1.0 pass {@code DCOS_URL} (and the token and TLS variables) but not the settings: those
 *       are read from the attached cluster's {@code dcos.toml};</li>
 *   <li>dcos CLI 0.6 and older pass none of them: everything is read from it.</li>
 * </ul>
 * The process knows it is the plugin from {@code DCOS_CLI_EXECUTABLE_PATH} (dcos CLI 0.7 and newer) or from
 * {@code SNAPCI_DCOS_PLUGIN=1}, which the plugin's launcher {@code bin/dcos-snapci} sets for every dcos CLI.
 *
 * @param url   the cluster's URL, without a trailing slash
 * @param token the ACS token of the logged-in user, or null
 */
record DcosCluster(String url, String token, boolean insecureTls, Path caFile, String configuredServiceName) {

    static final String PLUGIN_MARKER = "DCOS_CLI_EXECUTABLE_PATH";
    static final String LAUNCHER_MARKER = "SNAPCI_DCOS_PLUGIN";
    static final String DEFAULT_SERVICE_NAME = "snapci";

    /** Whether this process is the dcos CLI's subcommand. */
    static boolean isPlugin(Map<String, String> env) {
        return env.containsKey(PLUGIN_MARKER) || "1".equals(env.get(LAUNCHER_MARKER));
    }

    static DcosCluster from(Map<String, String> env) {
        Map<String, String> toml = ClusterToml.of(env);
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
                PluginSettings.value(PluginSettings.SERVICE_NAME, env, toml));
    }

    /** {@code <cluster>/service/<name>/}: Admin Router routes it to the Marathon app of that name. */
    ServiceEndpoint endpoint(String serviceName, String tokenOverride) {
        String name = firstOf(serviceName, configuredServiceName, DEFAULT_SERVICE_NAME).replaceAll("^/+|/+$", "");
        return new ServiceEndpoint(java.net.URI.create(url + "/service/" + name + "/"),
                firstOf(tokenOverride, token), insecureTls, caFile, "DC/OS cluster " + url + ", service " + name, true);
    }

    @SafeVarargs
    private static <T> T firstOf(T... values) {
        return Stream.of(values).filter(v -> v != null && !(v instanceof String s && s.isBlank())).findFirst()
                .orElse(null);
    }
}
