package io.snapci.scheduler.zookeeper;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The leader lock on a real ZooKeeper: one holder per root, a standby that takes over, a lost session aborts. */
class ZkLeaderLockTest {

    @RegisterExtension
    static final ZkTestServer zk = ZkTestServer.perClass();

    @Test
    void oneLeadsTheOtherWaitsAndTakesOverWhenTheFirstGoes() throws Exception {
        ZkUrl root = zk.freshUrl();
        List<String> lost = new CopyOnWriteArrayList<>();
        ZkLeaderLock first = new ZkLeaderLock(zk.connect(root), "first:8484", lost::add);
        first.start();
        first.acquired().get(10, TimeUnit.SECONDS);
        ZkConnection secondConnection = zk.connect(root);
        ZkLeaderLock second = new ZkLeaderLock(secondConnection, "second:8484", lost::add);
        second.start();

        Thread.sleep(500);  // time enough for a wrong second leader to appear
        assertThat(second.acquired()).as("a standby does not lead while the first holds the lock").isNotDone();
        assertThat(second.isLeader()).isFalse();
        assertThat(second.leader()).contains("first:8484");

        first.close();  // the first process goes (shutdown closes the lock; a crash ends its session)
        second.acquired().get(10, TimeUnit.SECONDS);
        assertThat(second.isLeader()).isTrue();
        assertThat(lost).as("leaving on purpose is not a loss").isEmpty();
        second.close();
    }

    @Test
    void aLeaderWhoseSessionExpiresIsToldAndAnotherTakesOver() throws Exception {
        ZkUrl root = zk.freshUrl();
        ZkConnection leaderConnection = zk.connect(root);
        CompletableFuture<String> lost = new CompletableFuture<>();
        ZkLeaderLock leader = new ZkLeaderLock(leaderConnection, "leader:1", lost::complete);
        leader.start();
        leader.acquired().get(10, TimeUnit.SECONDS);
        ZkLeaderLock standby = new ZkLeaderLock(zk.connect(root), "standby:2", why -> { });
        standby.start();

        // What ZooKeeper does to a scheduler that was partitioned longer than its session timeout.
        leaderConnection.curator().getZookeeperClient().getZooKeeper().getTestable().injectSessionExpiration();

        assertThat(lost.get(20, TimeUnit.SECONDS)).contains("lost the leader lock").contains("session ended");
        standby.acquired().get(20, TimeUnit.SECONDS);
        assertThat(standby.leader()).contains("standby:2");
        leader.close();
        standby.close();
    }
}
