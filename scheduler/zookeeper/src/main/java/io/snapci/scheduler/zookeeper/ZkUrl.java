package io.snapci.scheduler.zookeeper;

import org.apache.zookeeper.common.PathUtils;

import java.util.ArrayList;
import java.util.List;

/**
 * Where the scheduler keeps its state in ZooKeeper, parsed from {@code zk://host1:2181,host2:2181/snapci/state}:
 * the ensemble as a ZooKeeper connect string and the znode the scheduler owns (its root).
 *
 * <p>The root is required and may not be {@code /}: two schedulers (or a scheduler and Mesos itself, which keeps
 * its state under {@code /mesos} on the same DC/OS ensemble) must never share znodes by accident.
 *
 * @param connectString {@code host1:2181,host2:2181}, what Curator connects to; every host has its port
 * @param root          an absolute znode path without a trailing slash, e.g. {@code /snapci/state}
 */
public record ZkUrl(String connectString, String root) {

    /** The ensemble every DC/OS cluster has, with a root for snapci. */
    public static final String DCOS_EXAMPLE = "zk://master.mesos:2181/snapci";

    static final int DEFAULT_PORT = 2181;
    private static final String SCHEME = "zk://";
    private static final String VALID = "a valid one looks like zk://host1:2181,host2:2181/snapci/state "
            + "(on DC/OS: " + DCOS_EXAMPLE + ")";

    public ZkUrl {
        if (connectString == null || connectString.isBlank()) {
            throw new IllegalArgumentException("a ZooKeeper connect string is required");
        }
        validateRoot(SCHEME + connectString + root, root);
    }

    /**
     * Parses a {@code zk://} URL. A host without a port gets ZooKeeper's {@value #DEFAULT_PORT}, as ZooKeeper's own
     * connect strings do. Every problem is reported with the URL and what a valid one looks like.
     */
    public static ZkUrl parse(String url) {
        if (url == null || url.isBlank()) {
            throw invalid(url, "it is empty");
        }
        String text = url.strip();
        if (!text.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            throw invalid(url, "it must start with " + SCHEME);
        }
        String rest = text.substring(SCHEME.length());
        if (rest.contains("@")) {
            // zk://user:secret@host would otherwise parse "user" as a host; credentials do not belong in this URL.
            throw invalid(url, "credentials in the URL are not supported");
        }
        int slash = rest.indexOf('/');
        String hosts = slash < 0 ? rest : rest.substring(0, slash);
        String root = slash < 0 ? "" : rest.substring(slash);
        List<String> servers = new ArrayList<>();
        for (String server : hosts.split(",", -1)) {
            servers.add(hostAndPort(url, server.strip()));
        }
        if (root.isEmpty() || root.equals("/")) {
            throw invalid(url, "it has no znode root after the hosts");
        }
        validateRoot(url, root);
        return new ZkUrl(String.join(",", servers), root);
    }

    /** The znode path of {@code child} under the root, e.g. {@code /snapci/state/runs}. */
    public String path(String child) {
        return root + "/" + child;
    }

    @Override
    public String toString() {
        return SCHEME + connectString + root;
    }

    private static String hostAndPort(String url, String server) {
        if (server.isEmpty()) {
            throw invalid(url, "it names no host" + (url.contains(",") ? " between two commas" : ""));
        }
        String host;
        String port;
        if (server.startsWith("[")) {
            // An IPv6 literal: [::1]:2181
            int close = server.indexOf(']');
            if (close < 0) {
                throw invalid(url, "the IPv6 address " + server + " has no closing ]");
            }
            host = server.substring(0, close + 1);
            String after = server.substring(close + 1);
            if (!after.isEmpty() && !after.startsWith(":")) {
                throw invalid(url, "'" + server + "' is not host:port");
            }
            port = after.isEmpty() ? null : after.substring(1);
        } else {
            int colon = server.indexOf(':');
            host = colon < 0 ? server : server.substring(0, colon);
            port = colon < 0 ? null : server.substring(colon + 1);
        }
        if (host.isEmpty() || host.equals("[]") || !host.matches("\\[[0-9A-Fa-f:.]+]|[A-Za-z0-9_.-]+")) {
            throw invalid(url, "'" + host + "' in '" + server + "' is not a host name or address");
        }
        return host + ":" + port(url, server, port);
    }

    private static int port(String url, String server, String port) {
        if (port == null) {
            return DEFAULT_PORT;
        }
        if (!port.matches("\\d{1,5}") || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535) {
            throw invalid(url, "'" + port + "' in '" + server + "' is not a port (1 to 65535)");
        }
        return Integer.parseInt(port);
    }

    private static void validateRoot(String url, String root) {
        if (root == null || !root.startsWith("/") || root.equals("/")) {
            throw invalid(url, "the znode root must be an absolute path below /, e.g. /snapci/state");
        }
        if (root.endsWith("/")) {
            throw invalid(url, "the znode root " + root + " ends with /");
        }
        try {
            PathUtils.validatePath(root);
        } catch (IllegalArgumentException e) {
            // ZooKeeper's own rule set (no empty, "." or ".." segments, no control characters), with its reason.
            throw invalid(url, "the znode root " + root + " is not a valid znode path: " + e.getMessage());
        }
    }

    private static IllegalArgumentException invalid(String url, String why) {
        return new IllegalArgumentException("not a ZooKeeper URL: '" + url + "': " + why + "; " + VALID);
    }
}
