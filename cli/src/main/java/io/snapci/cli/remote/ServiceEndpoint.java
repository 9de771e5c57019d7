package io.snapci.cli.remote;

import java.net.URI;
import java.nio.file.Path;

/**
 * Where the snapci service is and how to talk to it: the base URI that {@code v1/...} paths resolve against (ending
 * in a slash), the bearer token (or null), how far to trust its TLS certificate, and where this came from, to say in
 * messages ("--url", "SNAPCI_URL", "DC/OS cluster ... service snapci").
 *
 * @param insecureTls trust any certificate and host name (DC/OS clusters set up with {@code --insecure})
 * @param caFile      PEM certificates to trust instead of the JVM's (the cluster's CA); null for the JVM's
 */
public record ServiceEndpoint(URI base, String token, boolean insecureTls, Path caFile, String origin, boolean dcos) {

    public ServiceEndpoint {
        String text = base.toString();
        if (!text.endsWith("/")) {
            base = URI.create(text + "/");
        }
    }

    /** {@code path} (no leading slash) under the base. */
    public URI resolve(String path) {
        return base.resolve(path);
    }
}
