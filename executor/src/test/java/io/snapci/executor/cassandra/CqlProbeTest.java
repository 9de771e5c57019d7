package io.snapci.executor.cassandra;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The readiness probe against a fake node that answers the native protocol as this test scripts it, one shape of
 * failure at a time. The frames are written here byte by byte from the protocol spec, not with the probe's own
 * codec, so a mistake in the codec cannot hide itself; the probe against a real node is in the tests module
 * (TestsTaskTest).
 */
class CqlProbeTest {

    private static final byte ERROR = 0x00;
    private static final byte READY = 0x02;
    private static final byte AUTHENTICATE = 0x03;
    private static final byte SUPPORTED = 0x06;
    private static final byte RESULT = 0x08;

    private final List<FakeNode> nodes = new ArrayList<>();

    @AfterEach
    void stopFakes() throws IOException {
        for (FakeNode node : nodes) {
            node.close();
        }
    }

    @Test
    void aNodeThatAnswersTheHandshakeAndTheQueryIsReadyWithItsVersion() throws Exception {
        FakeNode node = fake(CqlProbeTest::healthy);
        assertThat(probe(node.port(), "datacenter1")).isEqualTo("5.0.6");
        assertThat(node.opcodesSeen()).containsExactly((byte) 0x05, (byte) 0x01, (byte) 0x07);
    }

    @Test
    void readinessIsSeenWithinAPollOfThePortAnswering() throws Exception {
        FakeNode node = fake(CqlProbeTest::healthy);
        long start = System.nanoTime();
        String version = CqlReadiness.await("127.0.0.1", node.port(), "datacenter1", Duration.ofSeconds(5), () -> false);
        assertThat(version).isEqualTo("5.0.6");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(500));
    }

    @Test
    void nothingListeningIsAConnectRefusalAndReadinessSaysThePortNeverOpened() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        int closed = port;
        assertThatThrownBy(() -> probe(closed, "datacenter1")).isInstanceOf(ConnectException.class);
        assertThatThrownBy(() -> CqlReadiness.await("127.0.0.1", closed, "datacenter1", Duration.ofSeconds(1),
                () -> false))
                .isInstanceOf(CassandraStartException.class)
                .hasMessage("Cassandra at 127.0.0.1:" + closed
                        + " was not ready within 1 s (last: the CQL port never opened)");
    }

    @Test
    void aPortThatClosesAtOnceSaysSoInTheLastProblem() throws Exception {
        FakeNode node = fake(request -> null);
        assertThatThrownBy(() -> CqlReadiness.await("127.0.0.1", node.port(), "datacenter1", Duration.ofSeconds(1),
                () -> false))
                .hasMessageContaining("was not ready within 1 s (last: the node closed the connection without "
                        + "answering)");
    }

    @Test
    void aNodeThatNeverAnswersIsGivenUpAtTheDeadlineNotAfterTheHandshakeTimeout() throws Exception {
        FakeNode node = fake(request -> new byte[0]);
        long start = System.nanoTime();
        assertThatThrownBy(() -> CqlReadiness.await("127.0.0.1", node.port(), "datacenter1", Duration.ofSeconds(1),
                () -> false))
                .hasMessageContaining("(last: the node did not answer OPTIONS in time)");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
    }

    @Test
    void anErrorToTheQueryIsQuotedWithItsCode() throws Exception {
        FakeNode node = fake(request -> request.opcode == 0x07
                ? frame(request.stream, ERROR, error(0x1000, "Cannot achieve consistency level ONE"))
                : healthy(request));
        assertThatThrownBy(() -> probe(node.port(), "datacenter1"))
                .hasMessage("the query of system.local was answered with error 0x1000: "
                        + "Cannot achieve consistency level ONE");
    }

    @Test
    void anErrorToOptionsIsQuoted() throws Exception {
        FakeNode node = fake(request -> frame(request.stream, ERROR, error(0x000A, "Invalid or unsupported protocol version")));
        assertThatThrownBy(() -> probe(node.port(), "datacenter1"))
                .hasMessage("OPTIONS was answered with error 0x000a: Invalid or unsupported protocol version");
    }

    @Test
    void somethingElseOnThePortIsNotTakenForCassandra() throws Exception {
        FakeNode node = fake(request -> "HTTP/1.1 400 Bad Request\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        assertThatThrownBy(() -> probe(node.port(), "datacenter1"))
                .hasMessageContaining("not a CQL response");
    }

    @Test
    void aNodeThatAsksForALoginIsNotOneOfOurs() throws Exception {
        FakeNode node = fake(request -> request.opcode == 0x01
                ? frame(request.stream, AUTHENTICATE, string("org.apache.cassandra.auth.PasswordAuthenticator"))
                : healthy(request));
        assertThatThrownBy(() -> probe(node.port(), "datacenter1"))
                .hasMessageContaining("asks for a login (org.apache.cassandra.auth.PasswordAuthenticator)");
    }

    @Test
    void aNodeInAnotherDatacenterIsNotReadyForTestsThatNameThisOne() throws Exception {
        FakeNode node = fake(CqlProbeTest::healthy);
        assertThatThrownBy(() -> probe(node.port(), "dc-eu"))
                .hasMessage("the node is in datacenter datacenter1, not dc-eu");
    }

    @Test
    void aTruncatedResultIsAnUnreadableAnswerNotACrash() throws Exception {
        FakeNode node = fake(request -> request.opcode == 0x07
                ? frame(request.stream, RESULT, ByteBuffer.allocate(6).putInt(2).putShort((short) 0).array())
                : healthy(request));
        assertThatThrownBy(() -> probe(node.port(), "datacenter1"))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("could not be read as CQL");
    }

    private static String probe(int port, String datacenter) throws IOException {
        return CqlProbe.query("127.0.0.1", port, datacenter, System.nanoTime() + Duration.ofSeconds(5).toNanos());
    }

    private FakeNode fake(Function<Request, byte[]> script) throws IOException {
        FakeNode node = new FakeNode(script);
        nodes.add(node);
        return node;
    }

    /** What a Cassandra 5.0 node answers: SUPPORTED, READY, and one row of system.local. */
    private static byte[] healthy(Request request) {
        return switch (request.opcode) {
            case 0x05 -> frame(request.stream, SUPPORTED, concat(
                    ByteBuffer.allocate(2).putShort((short) 1).array(), string("CQL_VERSION"),
                    ByteBuffer.allocate(2).putShort((short) 1).array(), string("3.4.7")));
            case 0x01 -> frame(request.stream, READY, new byte[0]);
            case 0x07 -> frame(request.stream, RESULT, rows());
            default -> frame(request.stream, ERROR, error(0x000A, "unexpected opcode " + request.opcode));
        };
    }

    /** Rows: global table spec, two varchar columns, one row. */
    private static byte[] rows() {
        return concat(ByteBuffer.allocate(12).putInt(0x0002).putInt(0x0001).putInt(2).array(),
                string("system"), string("local"),
                string("release_version"), ByteBuffer.allocate(2).putShort((short) 0x000D).array(),
                string("data_center"), ByteBuffer.allocate(2).putShort((short) 0x000D).array(),
                ByteBuffer.allocate(4).putInt(1).array(),
                value("5.0.6"), value("datacenter1"));
    }

    private static byte[] frame(short stream, byte opcode, byte[] body) {
        return ByteBuffer.allocate(9 + body.length).put((byte) 0x84).put((byte) 0).putShort(stream).put(opcode)
                .putInt(body.length).put(body).array();
    }

    private static byte[] error(int code, String message) {
        return concat(ByteBuffer.allocate(4).putInt(code).array(), string(message));
    }

    private static byte[] string(String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(2 + bytes.length).putShort((short) bytes.length).put(bytes).array();
    }

    private static byte[] value(String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(4 + bytes.length).putInt(bytes.length).put(bytes).array();
    }

    private static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] p : parts) {
            length += p.length;
        }
        ByteBuffer all = ByteBuffer.allocate(length);
        for (byte[] p : parts) {
            all.put(p);
        }
        return all.array();
    }

    record Request(short stream, byte opcode) {
    }

    /**
     * A loopback server that reads request frames and writes what the script returns for each: null closes the
     * connection, an empty array answers nothing.
     */
    private static final class FakeNode implements AutoCloseable {
        private final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        private final Function<Request, byte[]> script;
        private final List<Byte> opcodes = new ArrayList<>();
        private final List<Socket> open = new ArrayList<>();

        FakeNode(Function<Request, byte[]> script) throws IOException {
            this.script = script;
            Thread acceptor = new Thread(this::serve, "fake-cql-node");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        int port() {
            return server.getLocalPort();
        }

        synchronized List<Byte> opcodesSeen() {
            return List.copyOf(opcodes);
        }

        private void serve() {
            while (!server.isClosed()) {
                try {
                    Socket socket = server.accept();
                    synchronized (this) {
                        open.add(socket);
                    }
                    Thread connection = new Thread(() -> answer(socket), "fake-cql-connection");
                    connection.setDaemon(true);
                    connection.start();
                } catch (IOException e) {
                    return;
                }
            }
        }

        private void answer(Socket socket) {
            try (socket) {
                DataInputStream in = new DataInputStream(socket.getInputStream());
                OutputStream out = socket.getOutputStream();
                while (true) {
                    byte[] header = new byte[9];
                    in.readFully(header);
                    ByteBuffer h = ByteBuffer.wrap(header);
                    h.get();
                    h.get();
                    Request request = new Request(h.getShort(), h.get());
                    in.readFully(new byte[h.getInt()]);
                    synchronized (this) {
                        opcodes.add(request.opcode);
                    }
                    byte[] reply = script.apply(request);
                    if (reply == null) {
                        return;
                    }
                    out.write(reply);
                    out.flush();
                }
            } catch (IOException e) {
                // the probe hung up
            }
        }

        @Override
        public synchronized void close() throws IOException {
            server.close();
            for (Socket socket : open) {
                socket.close();
            }
        }
    }
}
