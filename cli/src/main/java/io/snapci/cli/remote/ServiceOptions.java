package io.snapci.cli.remote;

import picocli.CommandLine.Option;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * How a command finds the snapci service, shared by every command that calls it. In order: {@code --url} (or
 * {@code SNAPCI_URL}) with {@code --token}/{@code --token-file} (or {@code SNAPCI_TOKEN}/{@code SNAPCI_TOKEN_FILE});
 * else, as {@code dcos snapci}, the attached DC/OS cluster's {@code /service/<name>/} with the user's ACS token.
 * Neither means no service: {@code snapci run} then runs on this machine.
 */
public final class ServiceOptions {

    @Option(names = "--url", paramLabel = "URL",
            description = "The snapci service, e.g. http://snapci.example:8484 (default: $SNAPCI_URL; as `dcos snapci`:"
                    + " the attached cluster's /service/<name>/).")
    String url;

    @Option(names = "--token", paramLabel = "TOKEN",
            description = "API token (default: $SNAPCI_TOKEN; as `dcos snapci`: your DC/OS login's ACS token). "
                    + "Prefer --token-file: a token on the command line shows in ps.")
    String token;

    @Option(names = "--token-file", paramLabel = "FILE",
            description = "A file holding the API token (default: $SNAPCI_TOKEN_FILE).")
    Path tokenFile;

    @Option(names = "--service-name", paramLabel = "NAME",
            description = "As `dcos snapci`: the snapci service's name in the cluster (default: the snapci.service_name"
                    + " config key, else snapci).")
    String serviceName;

    /** Whether this process runs as {@code dcos snapci} (see {@link DcosCluster} for how it knows). */
    public static boolean asDcosPlugin(Map<String, String> env) {
        return DcosCluster.isPlugin(env);
    }

    /** The service these options and the environment name, or empty when none is named. */
    public Optional<ServiceEndpoint> endpoint(Map<String, String> env) {
        String givenUrl = firstNonBlank(url, env.get("SNAPCI_URL"));
        String givenToken = token(env);
        if (givenUrl != null) {
            return Optional.of(new ServiceEndpoint(parseUrl(givenUrl), givenToken, false, null,
                    url != null ? "--url" : "SNAPCI_URL", false));
        }
        if (DcosCluster.isPlugin(env)) {
            return Optional.of(DcosCluster.from(env).endpoint(serviceName, givenToken));
        }
        return Optional.empty();
    }

    /** The service, or a usage error that says how to name one. */
    public ServiceEndpoint require(Map<String, String> env) {
        return endpoint(env).orElseThrow(() -> new UsageException("no snapci service given",
                "give --url URL (or set SNAPCI_URL), or run it as `dcos snapci ...` with a cluster attached"));
    }

    /** Whether any option here was given: they mean nothing without a service. */
    public boolean anyGiven() {
        return url != null || token != null || tokenFile != null || serviceName != null;
    }

    private String token(Map<String, String> env) {
        if (token != null) {
            return token.strip();
        }
        Path file = tokenFile != null ? tokenFile
                : env.get("SNAPCI_TOKEN_FILE") != null ? Path.of(env.get("SNAPCI_TOKEN_FILE")) : null;
        if (file != null) {
            try {
                return Files.readString(file).strip();
            } catch (IOException e) {
                throw new UsageException("cannot read the token file " + file + ": " + e.getMessage(), null);
            }
        }
        return firstNonBlank(env.get("SNAPCI_TOKEN"));
    }

    private static URI parseUrl(String text) {
        try {
            URI uri = URI.create(text.strip());
            if (uri.getHost() == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
                throw new IllegalArgumentException("not an http(s) URL with a host");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw new UsageException("'" + text + "' is not a snapci service URL (" + e.getMessage() + ")",
                    "give it as http://host:port or https://host/path");
        }
    }

    private static String firstNonBlank(String... values) {
        for (String value : values) {
            if (value != null && !value.isBlank()) {
                return value;
            }
        }
        return null;
    }
}
