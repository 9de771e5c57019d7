package io.snapci.scheduler.mesos.transport;

import java.net.URI;
import java.util.Locale;

/**
 * Where scheduler calls go, and how a 307 from a non-leading master is followed.
 *
 * <p>apache/mesos {@code docs/scheduler-http-api.md} ("Master detection"): a non-leading master answers 307 with a
 * {@code Location} header pointing at the leader. Real masters send it protocol-relative,
 * {@code //host:port/api/v1/scheduler} (MESOS-3902), while the doc's example shows a bare {@code host:port}; we accept
 * both, plus absolute URLs, keep the scheme we are already using, and default the path to {@value #SCHEDULER_PATH}.
 */
final class Endpoints {

    static final String SCHEDULER_PATH = "/api/v1/scheduler";

    private Endpoints() {
    }

    /** The scheduler endpoint of a master given as {@code http(s)://host:port} (a path, if given, is kept). */
    static URI schedulerEndpoint(URI master) {
        String scheme = master.getScheme() == null ? "" : master.getScheme().toLowerCase(Locale.ROOT);
        if (scheme.equals("zk")) {
            throw new IllegalArgumentException("zk:// master URIs are not supported (" + master + "); give the HTTP "
                    + "address of a master, e.g. http://leader.mesos:5050 on DC/OS: a non-leading master redirects "
                    + "us to the leader");
        }
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("master URI must be http:// or https://: " + master);
        }
        if (master.getHost() == null) {
            throw new IllegalArgumentException("master URI has no host: " + master);
        }
        return withDefaultPath(master);
    }

    /** Resolves a 307 {@code Location} against the endpoint that answered it. */
    static URI resolveRedirect(URI current, String location) {
        String loc = location.strip();
        if (loc.isEmpty()) {
            throw new IllegalArgumentException("empty Location");
        }
        URI target;
        if (loc.startsWith("//")) {
            target = URI.create(current.getScheme() + ":" + loc);
        } else if (loc.startsWith("/")) {
            target = current.resolve(loc);
        } else if (loc.contains("://")) {
            target = URI.create(loc);
        } else {
            target = URI.create(current.getScheme() + "://" + loc); // bare host:port
        }
        if (target.getHost() == null) {
            throw new IllegalArgumentException("Location has no host: " + location);
        }
        return withDefaultPath(target);
    }

    private static URI withDefaultPath(URI uri) {
        String path = uri.getPath();
        if (path == null || path.isEmpty() || path.equals("/")) {
            return URI.create(uri.getScheme() + "://" + uri.getRawAuthority() + SCHEDULER_PATH);
        }
        return uri;
    }
}
