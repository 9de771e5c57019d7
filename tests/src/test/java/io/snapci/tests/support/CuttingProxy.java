package io.snapci.tests.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A loopback TCP relay to a server that cuts the first run event stream through it: once a request for
 * {@code .../events} has passed on a connection, that connection is closed both ways after {@code cutAfter} more
 * bytes of the answer, as a proxy timeout or a network failure does. Everything else is relayed untouched, so a
 * browser or a CLI can use the server through it.
 */
public final class CuttingProxy implements AutoCloseable {

    private static final byte[] EVENTS = "/events HTTP/1.1".getBytes(StandardCharsets.ISO_8859_1);

    private final ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    private final URI upstream;
    private final long cutAfter;
    private final AtomicBoolean cut = new AtomicBoolean();

    public CuttingProxy(URI upstream, long cutAfter) throws IOException {
        this.upstream = upstream;
        this.cutAfter = cutAfter;
        Thread acceptor = new Thread(this::accept, "cutting-proxy");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** The upstream's URI, through the proxy. */
    public URI uri() {
        return URI.create("http://127.0.0.1:" + listener.getLocalPort() + upstream.getPath());
    }

    /** Whether it has cut a stream. */
    public boolean cut() {
        return cut.get();
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket(upstream.getHost(), upstream.getPort());
                Connection connection = new Connection(client, server);
                pump(connection, client.getInputStream(), server.getOutputStream(), true);
                pump(connection, server.getInputStream(), client.getOutputStream(), false);
            } catch (IOException e) {
                return;
            }
        }
    }

    /** One client connection: whether it is the one to cut, and how much of the answer passed since. */
    private final class Connection {
        final Socket client;
        final Socket server;
        final AtomicBoolean doomed = new AtomicBoolean();
        final AtomicLong sentSinceDoomed = new AtomicLong();
        int matched;

        Connection(Socket client, Socket server) {
            this.client = client;
            this.server = server;
        }

        /** Watches the requests for the first event stream request through the proxy. */
        void request(byte[] bytes, int n) {
            for (int i = 0; i < n && !doomed.get(); i++) {
                matched = bytes[i] == EVENTS[matched] ? matched + 1 : (bytes[i] == EVENTS[0] ? 1 : 0);
                if (matched == EVENTS.length && cut.compareAndSet(false, true)) {
                    doomed.set(true);
                }
                matched = matched == EVENTS.length ? 0 : matched;
            }
        }

        /** How much of {@code n} answer bytes may pass; fewer than n means: cut now. */
        int answer(int n) {
            if (!doomed.get()) {
                return n;
            }
            long left = cutAfter - sentSinceDoomed.get();
            int now = (int) Math.max(0, Math.min(n, left));
            sentSinceDoomed.addAndGet(now);
            return now;
        }

        boolean exhausted() {
            return doomed.get() && sentSinceDoomed.get() >= cutAfter;
        }

        void close() {
            closeQuietly(client);
            closeQuietly(server);
        }
    }

    private static void pump(Connection connection, InputStream from, OutputStream to, boolean requests) {
        Thread pump = new Thread(() -> {
            byte[] buffer = new byte[512];
            try {
                for (int n; (n = from.read(buffer)) > 0; ) {
                    if (requests) {
                        connection.request(buffer, n);
                        to.write(buffer, 0, n);
                    } else {
                        int now = connection.answer(n);
                        to.write(buffer, 0, now);
                        to.flush();
                        if (now < n || connection.exhausted()) {
                            break;
                        }
                        continue;
                    }
                    to.flush();
                }
            } catch (IOException ignored) {
                // the other side closed
            }
            connection.close();
        }, "cutting-proxy-pump");
        pump.setDaemon(true);
        pump.start();
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
    }
}
