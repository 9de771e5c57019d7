package io.snapci.scheduler.zookeeper;

import io.snapci.scheduler.core.state.FrameworkIdStore;
import io.snapci.scheduler.core.testkit.FrameworkIdStoreContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class ZkFrameworkIdStoreTest extends FrameworkIdStoreContract {

    private static ZkTestServer zk;

    private ZkUrl url;

    @BeforeAll
    static void startZooKeeper() throws Exception {
        zk = new ZkTestServer();
    }

    @AfterAll
    static void stopZooKeeper() throws Exception {
        zk.close();
    }

    @BeforeEach
    void freshRoot() {
        url = zk.freshUrl();
    }

    @AfterEach
    void closeConnections() {
        zk.closeConnections();
    }

    /** A new connection each time: a second call is a restarted scheduler. */
    @Override
    protected FrameworkIdStore store() {
        return new ZkFrameworkIdStore(zk.connect(url));
    }

    @Test
    void theIdIsPlainTextAtTheRootsFrameworkIdZnode() throws Exception {
        store().save("fw-1");
        byte[] stored = zk.connect(url).curator().getData().forPath(url.root() + "/framework-id");
        assertThat(new String(stored, StandardCharsets.UTF_8)).isEqualTo("fw-1");
    }

    @Test
    void anEmptyZnodeHoldsNoId() throws Exception {
        zk.connect(url).curator().create().creatingParentsIfNeeded().forPath(url.root() + "/framework-id", new byte[0]);
        assertThat(store().load()).isEmpty();
    }

    @Test
    void theIdSurvivesAZooKeeperRestart() throws Exception {
        FrameworkIdStore store = store();
        store.save("fw-1");
        zk.server().restart();
        assertThat(store.load()).contains("fw-1");
    }

    @Test
    void runsAndTheFrameworkIdShareARootWithoutMeetingEachOther() {
        ZkConnection connection = zk.connect(url);
        new ZkFrameworkIdStore(connection).save("fw-1");
        assertThat(new ZkRunStore(connection).list()).isEmpty();
        assertThat(new ZkRunStore(connection).find("framework-id")).isEmpty();
    }
}
