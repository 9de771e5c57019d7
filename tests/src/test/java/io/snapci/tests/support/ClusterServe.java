package io.snapci.tests.support;

import io.snapci.server.SnapciServer;
import io.snapci.server.config.ServeConfigLoader;
import io.snapci.tests.api.ApiClient;
import io.snapci.tests.mesos.AgentSpec;
import io.snapci.tests.mesos.MesosMasterPeer;
import io.snapci.tests.mesos.PeerOptions;
import io.snapci.tests.portworx.OpenStorageSdkPeer;
import org.apache.curator.test.TestingServer;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code snapci serve} in mesos mode and what it needs around it: a real ZooKeeper for its state, the OpenStorage
 * SDK peer for Portworx and the Mesos master peer. The peers start first, so that a test can add the production
 * volumes and the agents it wants; then {@link #serve} starts serve on them, configured through SNAPCI_* variables
 * as the package configures it, accepting {@link #TOKEN}. Closing stops serve, then the master, Portworx and
 * ZooKeeper.
 */
public final class ClusterServe implements AutoCloseable {

    public static final String TOKEN = "tok-cluster-ci";

    private final TestingServer zookeeper;
    private final OpenStorageSdkPeer portworx;
    private final MesosMasterPeer master;
    private SnapciServer serve;

    private ClusterServe(TestingServer zookeeper, OpenStorageSdkPeer portworx, MesosMasterPeer master) {
        this.zookeeper = zookeeper;
        this.portworx = portworx;
        this.master = master;
    }

    /** ZooKeeper, Portworx and the Mesos master (offers only on {@code offerNow()}); serve is not started yet. */
    public static ClusterServe peers() throws Exception {
        return peers(PeerOptions.forTests());
    }

    /** The same, with the master's clocks as given (e.g. offers made every allocation interval). */
    public static ClusterServe peers(PeerOptions masterOptions) throws Exception {
        TestingServer zookeeper = new TestingServer(true);
        OpenStorageSdkPeer portworx = null;
        try {
            portworx = new OpenStorageSdkPeer(Clock.systemUTC());
            return new ClusterServe(zookeeper, portworx, MesosMasterPeer.start(masterOptions));
        } catch (Exception | Error e) {
            if (portworx != null) {
                portworx.close();
            }
            zookeeper.close();
            throw e;
        }
    }

    public OpenStorageSdkPeer portworx() {
        return portworx;
    }

    public MesosMasterPeer master() {
        return master;
    }

    public TestingServer zookeeper() {
        return zookeeper;
    }

    /** Adds the production volume the cluster tests run against ({@code cassandra-prod}, app=shop, 50 GiB); its id. */
    public String addProductionVolume() {
        return portworx.addVolume("cassandra-prod", Map.of("app", "shop"), 50L << 30);
    }

    /** A client of {@code serve}'s API that holds {@link #TOKEN}. */
    public static ApiClient api(SnapciServer serve) {
        return new ApiClient(serve.baseUri(), TOKEN);
    }

    /** An agent as the cluster tests add them: hostname {@code <id>.example}, ports 31000-31999, attribute tier. */
    public static AgentSpec agentInTier(String id, String tier) {
        return AgentSpec.agent(id).hostname(id + ".example").ports(31000, 31999).attribute("tier", tier).build();
    }

    /**
     * Starts serve on a free loopback port, its local files under {@code workRoot}; {@code env} adds SNAPCI_*
     * variables to (or overrides) the package's.
     */
    public SnapciServer serve(Path workRoot, Map<String, String> env) throws IOException {
        serve = SnapciServer.start(ServeConfigLoader.load(null, packageEnv(workRoot, zookeeper, master, portworx, env),
                Map.of()));
        return serve;
    }

    /**
     * The SNAPCI_* variables the Universe package gives serve in mesos mode, pointed at these peers; {@code env}
     * adds to or overrides them.
     */
    public static Map<String, String> packageEnv(Path workRoot, TestingServer zookeeper, MesosMasterPeer master,
                                                 OpenStorageSdkPeer portworx, Map<String, String> env) {
        Map<String, String> all = new LinkedHashMap<>();
        all.put("SNAPCI_MODE", "mesos");
        all.put("SNAPCI_HTTP_PORT", "0");
        all.put("SNAPCI_AUTH_TOKENS", TOKEN);
        all.put("SNAPCI_LOCAL_WORK_ROOT", workRoot.toString());
        all.put("SNAPCI_MESOS_MASTER", master.url().toString());
        all.put("SNAPCI_ZK_URL", "zk://" + zookeeper.getConnectString() + "/snapci");
        all.put("SNAPCI_MESOS_EXECUTOR_URI", "http://downloads.example/snapci-executor.tar.gz");
        all.put("SNAPCI_PORTWORX_ENDPOINT", portworx.endpoint().toString());
        all.putAll(env);
        return all;
    }

    @Override
    public void close() throws IOException {
        try (zookeeper; portworx; master) {
            if (serve != null) {
                serve.close();
            }
        }
    }
}
