package io.snapci.scheduler.zookeeper;

import io.snapci.scheduler.core.state.FrameworkIdStore;
import io.snapci.scheduler.core.testkit.FrameworkIdStoreContract;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class ZkFrameworkIdStoreTest extends FrameworkIdStoreContract {

    @RegisterExtension
    static final ZkTestServer zk = ZkTestServer.perClass();

    /** A new connection each time: a second call is a restarted scheduler. */
    @Override
    protected FrameworkIdStore store() {
        return new ZkFrameworkIdStore(zk.connect());
    }

    @Test
    void theIdIsPlainTextAtTheRootsFrameworkIdZnode() throws Exception {
        store().save("fw-1");
        byte[] stored = zk.connect().curator().getData().forPath(zk.url().root() + "/framework-id");
        assertThat(new String(stored, StandardCharsets.UTF_8)).isEqualTo("fw-1");
    }

    @Test
    void anEmptyZnodeHoldsNoId() throws Exception {
        zk.connect().curator().create().creatingParentsIfNeeded()
                .forPath(zk.url().root() + "/framework-id", new byte[0]);
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
        ZkConnection connection = zk.connect();
        new ZkFrameworkIdStore(connection).save("fw-1");
        assertThat(new ZkRunStore(connection).list()).isEmpty();
        assertThat(new ZkRunStore(connection).find("framework-id")).isEmpty();
    }
}
