package io.snapci.scheduler.zookeeper;

import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ZkConnectionTest {

    private static final ZkSettings HALF_A_SECOND = ZkTestServer.FAST.withStartupWait(Duration.ofMillis(500));

    @Test
    void anUnreachableZooKeeperFailsClearlyWithinTheStartupWait() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort(); // free once closed: nothing listens there
        }
        ZkUrl url = ZkUrl.parse("zk://127.0.0.1:" + closedPort + "/snapci");

        long start = System.nanoTime();
        assertThatThrownBy(() -> ZkConnection.open(url, HALF_A_SECOND))
                .isInstanceOf(ZkUnavailableException.class)
                .hasMessageStartingWith("could not reach ZooKeeper at 127.0.0.1:" + closedPort + " within 500 ms: "
                        + "check that the hosts and ports in zk://127.0.0.1:" + closedPort + "/snapci are right");
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(took).isBetween(Duration.ofMillis(450), Duration.ofSeconds(5));
    }

    @Test
    void aHostThatDoesNotResolveFailsClearlyToo() {
        ZkUrl url = ZkUrl.parse("zk://no-such-zookeeper.invalid:2181/snapci");
        long start = System.nanoTime();
        assertThatThrownBy(() -> ZkConnection.open(url, HALF_A_SECOND))
                .isInstanceOf(ZkUnavailableException.class)
                .hasMessageContaining("could not reach ZooKeeper at no-such-zookeeper.invalid:2181")
                .hasMessageContaining("master.mesos resolves only inside the cluster");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void opensOnAReachableZooKeeperAndClosesCleanly() throws Exception {
        try (ZkTestServer zk = ZkTestServer.start()) {
            ZkUrl url = zk.freshUrl();
            ZkConnection connection = ZkConnection.open(url, ZkTestServer.FAST);
            assertThat(connection.url()).isEqualTo(url);
            assertThat(connection.curator().getZookeeperClient().isConnected()).isTrue();
            connection.close();
            assertThat(connection.curator().getState().name()).isEqualTo("STOPPED");
        }
    }
}
