package io.snapci.scheduler.zookeeper;

import org.apache.curator.test.TestingServer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One real ZooKeeper (Curator's in-process TestingServer) for a test class, and connections to it on a fresh root
 * per test, so that tests share the server's start-up cost but never each other's znodes.
 */
final class ZkTestServer implements AutoCloseable {

    private static final AtomicInteger ROOTS = new AtomicInteger();

    /** Short enough that a test waiting on a retry budget is quick, long enough for a loaded CI machine. */
    static final ZkSettings FAST = ZkSettings.defaults()
            .withTimeouts(Duration.ofSeconds(10), Duration.ofSeconds(2))
            .withStartupWait(Duration.ofSeconds(10))
            .withRetries(Duration.ofMillis(100), Duration.ofMillis(500), 10);

    private final TestingServer server;
    private final List<ZkConnection> opened = new ArrayList<>();

    ZkTestServer() throws Exception {
        server = new TestingServer(true);
    }

    TestingServer server() {
        return server;
    }

    /** A URL with a root no other test uses. */
    ZkUrl freshUrl() {
        return new ZkUrl(server.getConnectString(), "/snapci-test/root-" + ROOTS.incrementAndGet() + "/state");
    }

    /** A connection (a scheduler) on {@code url}; closed by {@link #closeConnections()}. */
    ZkConnection connect(ZkUrl url) {
        return connect(url, FAST);
    }

    ZkConnection connect(ZkUrl url, ZkSettings settings) {
        ZkConnection zk = ZkConnection.open(url, settings);
        opened.add(zk);
        return zk;
    }

    void closeConnections() {
        opened.forEach(ZkConnection::close);
        opened.clear();
    }

    @Override
    public void close() throws Exception {
        closeConnections();
        server.close();
    }
}
