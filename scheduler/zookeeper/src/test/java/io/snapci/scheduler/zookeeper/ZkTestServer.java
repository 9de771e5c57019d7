package io.snapci.scheduler.zookeeper;

import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One real ZooKeeper (Curator's in-process TestingServer) for a test class, and connections to it on a fresh root
 * per test, so that tests share the server's start-up cost but never each other's znodes. A test class registers it
 * with {@code @RegisterExtension static final ZkTestServer zk = ZkTestServer.perClass();}: the server starts before
 * the class's first test and stops after its last; each test gets a root of its own ({@link #url()}) and has the
 * connections it opened closed after it.
 */
final class ZkTestServer implements AutoCloseable, BeforeAllCallback, BeforeEachCallback, AfterEachCallback,
        AfterAllCallback {

    private static final AtomicInteger ROOTS = new AtomicInteger();

    /** Short enough that a test waiting on a retry budget is quick, long enough for a loaded CI machine. */
    static final ZkSettings FAST = ZkSettings.defaults()
            .withTimeouts(Duration.ofSeconds(10), Duration.ofSeconds(2))
            .withStartupWait(Duration.ofSeconds(10))
            .withRetries(Duration.ofMillis(100), Duration.ofMillis(500), 10);

    private final List<ZkConnection> opened = new ArrayList<>();
    private TestingServer server;
    private ZkUrl url;

    private ZkTestServer() {
    }

    /** The server of a test class, started and stopped by JUnit. */
    static ZkTestServer perClass() {
        return new ZkTestServer();
    }

    /** A server started now, for one test to close. */
    static ZkTestServer start() throws Exception {
        ZkTestServer zk = new ZkTestServer();
        zk.server = new TestingServer(true);
        return zk;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        server = new TestingServer(true);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        url = freshUrl();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        closeConnections();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        close();
    }

    TestingServer server() {
        return server;
    }

    /** The current test's root. */
    ZkUrl url() {
        return url;
    }

    /** A URL with a root no other test uses. */
    ZkUrl freshUrl() {
        return new ZkUrl(server.getConnectString(), "/snapci-test/root-" + ROOTS.incrementAndGet() + "/state");
    }

    /** A connection (a scheduler) on the current test's root; closed after the test. */
    ZkConnection connect() {
        return connect(url);
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
