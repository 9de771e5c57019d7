package io.snapci.executor.cassandra;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * The ports one node listens on, all on the loopback address.
 *
 * @param cql     native transport (what tests connect to)
 * @param storage internode messaging (nobody else ever connects: the node is its own seed)
 * @param jmx     local JMX, used to drain the node before it is stopped
 */
public record NodePorts(int cql, int storage, int jmx) {

    /** Picks free ports; {@code requestedCql} (if not null) is used for CQL and must be free. */
    public static NodePorts pick(Integer requestedCql) throws PortInUseException {
        if (requestedCql != null && !isFree(requestedCql)) {
            throw new PortInUseException("Port " + requestedCql + " (CQL) on 127.0.0.1 is already in use: stop "
                    + "whatever listens there, or leave the CQL port unset so snapci picks a free one");
        }
        int cql = requestedCql != null ? requestedCql : freePort();
        int storage = freePort();
        int jmx = freePort();
        while (storage == cql || jmx == cql || jmx == storage) {
            storage = freePort();
            jmx = freePort();
        }
        return new NodePorts(cql, storage, jmx);
    }

    static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("cannot find a free port on 127.0.0.1", e);
        }
    }

    /** A requested port is taken. */
    public static final class PortInUseException extends Exception {
        public PortInUseException(String message) {
            super(message);
        }
    }
}
