package io.snapci.tests.support;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.api.core.metadata.Node;
import io.snapci.executor.cassandra.CassandraDirectories;
import io.snapci.executor.cassandra.CassandraNode;
import io.snapci.executor.cassandra.CassandraStartException;
import io.snapci.executor.cassandra.NodeConfig;
import io.snapci.executor.cassandra.NodePorts;
import io.snapci.model.CassandraSettings;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

/**
 * A production Cassandra cluster on this machine for tests: {@code n} nodes on the loopback addresses 127.0.0.1,
 * 127.0.0.2, ... (Linux routes all of 127/8 to lo without setup), each with its own Cassandra home under
 * {@code dir/node<i>} (data/, commitlog/, ...), the first node the seed. Small heaps; nodes join without
 * bootstrapping (the cluster is empty when they join).
 */
public final class ProductionCluster implements AutoCloseable {

    /** Small for a 2-core machine shared with others; enough for a few thousand rows. */
    private static final String HEAP = "320m";
    private static final Duration READY = Duration.ofMinutes(4);

    private final List<CassandraNode> nodes;
    private final List<Path> homes;

    private ProductionCluster(List<CassandraNode> nodes, List<Path> homes) {
        this.nodes = nodes;
        this.homes = homes;
    }

    /** Starts the seed, then the others together, and returns once every node answers CQL. */
    public static ProductionCluster start(Path dir, int n) throws Exception {
        // C1 only: these nodes start (and are written to) once; peak speed does not matter. Not the copy's whole
        // fast start: that is for throwaway nodes; production nodes start as usual.
        CassandraSettings settings = new CassandraSettings(HEAP, null, null, null,
                List.of("-XX:TieredStopAtLevel=1", "-Dcassandra.ring_delay_ms=5000"), null);
        List<NodeConfig> configs = new ArrayList<>();
        List<Path> homes = new ArrayList<>();
        String seeds = null;
        for (int i = 1; i <= n; i++) {
            Path home = dir.resolve("node" + i);
            NodePorts ports = NodePorts.pick(null);
            String host = address(i);
            seeds = seeds == null ? host + ":" + ports.storage() : seeds;
            configs.add(new NodeConfig("production", CassandraDirectories.under(home), dir.resolve("node" + i
                    + "-config"), ports, settings, host, seeds));
            homes.add(home);
        }
        List<CassandraNode> started = new ArrayList<>();
        try {
            started.add(CassandraNode.startReady(Snapci.cassandraRuntime(), configs.get(0), READY));
            List<CompletableFuture<CassandraNode>> others = new ArrayList<>();
            for (NodeConfig config : configs.subList(1, n)) {
                others.add(CompletableFuture.supplyAsync(() -> startReady(config)));
            }
            for (CompletableFuture<CassandraNode> other : others) {
                started.add(other.join());
            }
        } catch (RuntimeException e) {
            started.forEach(CassandraNode::kill);
            throw e;
        }
        ProductionCluster cluster = new ProductionCluster(started, homes);
        cluster.awaitAllUp();
        return cluster;
    }

    private static CassandraNode startReady(NodeConfig config) {
        try {
            return CassandraNode.startReady(Snapci.cassandraRuntime(), config, READY);
        } catch (java.io.IOException | CassandraStartException e) {
            throw new IllegalStateException(e);
        }
    }

    /** 127.0.0.i: the i-th node's address (from 1). */
    public static String address(int i) {
        return "127.0.0." + i;
    }

    /** Each node's Cassandra home, the sources of a run, in node order. */
    public List<Path> homes() {
        return homes;
    }

    public CassandraNode node(int i) {
        return nodes.get(i - 1);
    }

    /** A session through the first node that knows the whole ring (token map). */
    public CqlSession connect() {
        NodeConfig first = nodes.get(0).config();
        return CqlSession.builder()
                .addContactPoint(new InetSocketAddress(first.host(), first.ports().cql()))
                .withLocalDatacenter(first.settings().datacenter())
                .withConfigLoader(DriverConfigLoader.programmaticBuilder()
                        .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, Duration.ofSeconds(30))
                        .withDuration(DefaultDriverOption.METADATA_SCHEMA_REQUEST_TIMEOUT, Duration.ofSeconds(30))
                        .build())
                .build();
    }

    /** Which nodes (1-based) hold the partition {@code key} of {@code keyspace}, from the ring the driver sees. */
    public static Set<Integer> replicas(CqlSession session, String keyspace, ByteBuffer key) {
        Set<Node> replicas = session.getMetadata().getTokenMap().orElseThrow().getReplicas(keyspace, key);
        return replicas.stream().map(r -> {
            String ip = ((InetSocketAddress) r.getEndPoint().resolve()).getAddress().getHostAddress();
            return Integer.parseInt(ip.substring(ip.lastIndexOf('.') + 1));
        }).collect(Collectors.toCollection(java.util.TreeSet::new));
    }

    /** nodetool flush on every running node. */
    public void flush(String keyspace) throws Exception {
        for (CassandraNode node : nodes) {
            if (node.isAlive()) {
                node.flush(keyspace);
            }
        }
    }

    /** Drains and stops node i (from 1): its data on disk is then all in SSTables. */
    public void stop(int i) {
        nodes.get(i - 1).stop(Duration.ofSeconds(30));
    }

    private void awaitAllUp() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        try (CqlSession session = connect()) {
            while (true) {
                long up = session.getMetadata().getNodes().values().stream()
                        .filter(node -> node.getState() == com.datastax.oss.driver.api.core.metadata.NodeState.UP)
                        .count();
                if (up == nodes.size()) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("only " + up + " of " + nodes.size() + " nodes are up");
                }
                Thread.sleep(200);
            }
        }
    }

    @Override
    public void close() {
        nodes.forEach(node -> node.stop(Duration.ofSeconds(20)));
    }
}
