package io.snapci.executor.cassandra;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Asks a node whether it serves CQL yet, in the native protocol over one plain socket: OPTIONS → SUPPORTED,
 * STARTUP → READY, then a real query of {@code system.local}. An open port alone is not readiness, and a driver
 * session is too slow to be one probe: closing it waits out Netty's quiet period (about 2 s), which is how long
 * snapci used to see a ready node late. This exchange takes about a millisecond.
 */
final class CqlProbe {

    static final String QUERY = "SELECT release_version, data_center FROM system.local";

    private static final int CONNECT_MILLIS = 500;
    /** How long the node may take to answer the handshake, and then the query (the driver's former timeouts). */
    private static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration QUERY_TIMEOUT = Duration.ofSeconds(10);
    private static final short CONSISTENCY_ONE = 0x0001;

    private CqlProbe() {
    }

    /**
     * Returns the node's release version once it answers a query from the datacenter the tests will name. Waits
     * for an answer no longer than the timeouts above, and never past {@code deadlineNanos} (a {@link System#nanoTime}).
     *
     * @throws ConnectException nothing listens on the port (yet)
     * @throws IOException      something listens but does not serve CQL queries yet; the message says what it did
     */
    static String query(String host, int port, String datacenter, long deadlineNanos) throws IOException {
        try (Socket socket = new Socket()) {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(host, port), CONNECT_MILLIS);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            socket.setSoTimeout(readTimeout(HANDSHAKE_TIMEOUT, deadlineNanos));
            expect(exchange(out, in, 0, CqlFrame.OP_OPTIONS, new byte[0], "OPTIONS"), CqlFrame.OP_SUPPORTED,
                    "OPTIONS");
            CqlFrame ready = exchange(out, in, 1, CqlFrame.OP_STARTUP,
                    CqlFrame.stringMap(Map.of("CQL_VERSION", "3.0.0")), "STARTUP");
            if (ready.opcode() == CqlFrame.OP_AUTHENTICATE) {
                throw new IOException("the node asks for a login (" + CqlFrame.readString(ready.body())
                        + "); snapci's nodes allow all, so this is not one of them");
            }
            expect(ready, CqlFrame.OP_READY, "STARTUP");
            socket.setSoTimeout(readTimeout(QUERY_TIMEOUT, deadlineNanos));
            CqlFrame result = exchange(out, in, 2, CqlFrame.OP_QUERY, CqlFrame.query(QUERY, CONSISTENCY_ONE),
                    "the query of system.local");
            expect(result, CqlFrame.OP_RESULT, "the query of system.local");
            return releaseVersion(CqlRows.read(result.body()), datacenter);
        } catch (ConnectException e) {
            throw e;
        } catch (RuntimeException e) {
            // A body shorter than its own fields say (BufferUnderflowException and the like).
            throw new IOException("the node's answer could not be read as CQL: " + e, e);
        }
    }

    /** At most {@code limit}, at most what is left until the deadline, and never 0 (which would wait forever). */
    private static int readTimeout(Duration limit, long deadlineNanos) {
        long left = Duration.ofNanos(deadlineNanos - System.nanoTime()).toMillis();
        return (int) Math.max(1, Math.min(limit.toMillis(), left));
    }

    private static CqlFrame exchange(OutputStream out, InputStream in, int stream, byte opcode, byte[] body,
                                     String what) throws IOException {
        CqlFrame.writeRequest(out, (short) stream, opcode, body);
        CqlFrame answer;
        try {
            answer = CqlFrame.readResponse(in);
        } catch (SocketTimeoutException e) {
            throw new IOException("the node did not answer " + what + " in time", e);
        }
        if (answer.stream() != stream) {
            throw new IOException("the node answered " + what + " on stream " + answer.stream() + ", not " + stream);
        }
        return answer;
    }

    private static void expect(CqlFrame frame, byte opcode, String what) throws IOException {
        if (frame.opcode() == CqlFrame.OP_ERROR) {
            throw new IOException(what + " was answered with " + CqlFrame.errorText(frame.body()));
        }
        if (frame.opcode() != opcode) {
            throw new IOException(String.format("%s was answered with opcode 0x%02x, not 0x%02x", what,
                    frame.opcode(), opcode));
        }
    }

    /** A node in another datacenter than the tests name is not ready for them: their driver finds no local node. */
    private static String releaseVersion(List<Map<String, String>> rows, String datacenter) throws IOException {
        if (rows.size() != 1) {
            throw new IOException("system.local had " + rows.size() + " rows, not 1");
        }
        Map<String, String> local = rows.get(0);
        if (datacenter != null && !datacenter.equals(local.get("data_center"))) {
            throw new WrongDatacenterException(local.get("data_center"), datacenter);
        }
        String version = local.get("release_version");
        return version == null ? "unknown" : version;
    }
}
