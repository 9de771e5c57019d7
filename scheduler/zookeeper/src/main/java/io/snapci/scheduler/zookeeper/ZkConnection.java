package io.snapci.scheduler.zookeeper;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.state.SessionConnectionStateErrorPolicy;
import org.apache.curator.retry.ExponentialBackoffRetry;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The scheduler's one ZooKeeper client: started connected, or not at all. Every store of the scheduler shares it
 * (one session per process, as ZooKeeper wants); closing it ends the session.
 *
 * <p>After the first connection, a lost connection is Curator's business: it reconnects in the background and
 * retries each operation with exponential backoff, so a ZooKeeper restart or leader election within the retry budget
 * ({@link ZkSettings}) is invisible to the stores.
 */
public final class ZkConnection implements AutoCloseable {

    private final ZkUrl url;
    private final CuratorFramework curator;

    private ZkConnection(ZkUrl url, CuratorFramework curator) {
        this.url = url;
        this.curator = curator;
    }

    /** Parses {@code zkUrl} and connects with the default settings. */
    public static ZkConnection open(String zkUrl) {
        return open(ZkUrl.parse(zkUrl), ZkSettings.defaults());
    }

    /**
     * Connects to the ensemble and waits up to {@link ZkSettings#startupWait()} for the first connection.
     *
     * @throws ZkUnavailableException when the ensemble cannot be reached in time
     */
    public static ZkConnection open(ZkUrl url, ZkSettings settings) {
        CuratorFramework curator = CuratorFrameworkFactory.builder()
                .connectString(url.connectString())
                .sessionTimeoutMs(millis(settings.sessionTimeout()))
                .connectionTimeoutMs(millis(settings.connectionTimeout()))
                .retryPolicy(new ExponentialBackoffRetry(millis(settings.retryBaseSleep()), settings.maxRetries(),
                        millis(settings.retryMaxSleep())))
                // Recipes (the leader lock) give up what they hold when the session is lost, not at every short
                // disconnect: ZooKeeper itself keeps the session, and its ephemeral nodes, until it expires.
                .connectionStateErrorPolicy(new SessionConnectionStateErrorPolicy())
                .build();
        boolean connected = false;
        try {
            curator.start();
            connected = curator.blockUntilConnected(millis(settings.startupWait()), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            curator.close();
            throw new ZkUnavailableException("interrupted while connecting to ZooKeeper at " + url.connectString(), e);
        } catch (RuntimeException e) {
            // E.g. none of the hosts resolves: the ZooKeeper client refuses to start at all.
            curator.close();
            throw new ZkUnavailableException(unreachable(url, settings.startupWait()) + " (" + e.getMessage() + ")", e);
        }
        if (!connected) {
            curator.close();
            throw new ZkUnavailableException(unreachable(url, settings.startupWait()), null);
        }
        return new ZkConnection(url, curator);
    }

    public ZkUrl url() {
        return url;
    }

    /** The started client, for the stores and the leader lock of this package. */
    public CuratorFramework curator() {
        return curator;
    }

    /** Ends the session; ephemeral znodes of this scheduler disappear at once rather than at the session timeout. */
    @Override
    public void close() {
        curator.close();
    }

    private static String unreachable(ZkUrl url, Duration waited) {
        return "could not reach ZooKeeper at " + url.connectString() + " within " + waited.toMillis() + " ms: check "
                + "that the hosts and ports in " + url + " are right, that ZooKeeper runs there and that this machine "
                + "can reach them (on DC/OS, master.mesos resolves only inside the cluster)";
    }

    private static int millis(Duration d) {
        return (int) Math.min(Integer.MAX_VALUE, d.toMillis());
    }
}
