package io.snapci.cli.demo;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.api.core.metadata.Node;
import com.datastax.oss.driver.api.core.metadata.NodeState;
import io.snapci.executor.cassandra.CassandraDirectories;
import io.snapci.executor.cassandra.CassandraNode;
import io.snapci.executor.cassandra.CassandraRuntime;
import io.snapci.executor.cassandra.CassandraStartException;
import io.snapci.executor.cassandra.NodeConfig;
import io.snapci.executor.cassandra.NodePorts;
import io.snapci.model.CassandraSettings;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.Collectors;

/**
 * A stand-in production cluster on this machine: {@code n} Cassandra nodes on the loopback addresses 127.0.0.1,
 * 127.0.0.2, ... (Linux routes all of 127/8 to lo), each with its own Cassandra home {@code dir/node<i>}
 * (data/, commitlog/, ...) and its configuration outside it, the first node the seed. The others join together
 * without bootstrapping (the cluster is empty when they join). For the demo's {@code --nodes} and the tests.
 */
public final class ProductionCluster implements AutoCloseable {

    /** Small: a demo or test machine may have 2 cores and a few GB for all nodes and the copy. */
    public static final String HEAP = "320m";
    private static final Duration READY = Duration.ofMinutes(4);

    private final List<CassandraNode> nodes;
    private final List<Path> homes;

    private ProductionCluster(List<CassandraNode> nodes, List<Path> homes) {
        this.nodes = nodes;
        this.homes = homes;
    }

    /** Starts the seed, then the others, and returns once every node answers CQL and sees the others up. */
    public static ProductionCluster start(CassandraRuntime runtime, Path dir, String clusterName, int n)
            throws IOException, CassandraStartException, NodePorts.PortInUseException, InterruptedException {
        // C1 only (these nodes start once; peak speed does not matter) and a short ring delay. Not the copy's
        // fast start: production nodes start as production nodes do.
        CassandraSettings settings = new CassandraSettings(HEAP, null, null, null,
                List.of("-XX:TieredStopAtLevel=1", "-Dcassandra.ring_delay_ms=5000"), null);
        List<Path> homes = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            homes.add(dir.resolve("node" + i));
        }
        List<CassandraNode> started = new ArrayList<>();
        try {
            CassandraNode seed = startReady(runtime, dir, clusterName, settings, 1, null);
            started.add(seed);
            String seeds = address(1) + ":" + seed.config().ports().storage();
            List<CompletableFuture<CassandraNode>> others = new ArrayList<>();
            for (int i = 2; i <= n; i++) {
                int node = i;
                others.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        return startReady(runtime, dir, clusterName, settings, node, seeds);
                    } catch (IOException | CassandraStartException | NodePorts.PortInUseException e) {
                        throw new IllegalStateException(e);
                    }
                }));
                // Commit log segments are named by the millisecond a node starts: never the same for two nodes.
                Thread.sleep(1000);
            }
            for (CompletableFuture<CassandraNode> other : others) {
                started.add(other.join());
            }
        } catch (CompletionException | InterruptedException e) {
            started.forEach(CassandraNode::kill);
            if (e.getCause() instanceof IllegalStateException failed && failed.getCause() != null) {
                throw new IOException("a production node did not start: " + failed.getCause().getMessage(), e);
            }
            throw e;
        }
        ProductionCluster cluster = new ProductionCluster(started, homes);
        cluster.awaitAllUp();
        return cluster;
    }

    /**
     * Starts node {@code i} on ports picked just now; a port taken by someone else between the pick and the bind
     * (other builds share the machine) gets new ones, twice at most.
     */
    private static CassandraNode startReady(CassandraRuntime runtime, Path dir, String clusterName,
                                            CassandraSettings settings, int i, String seeds)
            throws IOException, CassandraStartException, NodePorts.PortInUseException {
        for (int attempt = 1; ; attempt++) {
            NodeConfig config = new NodeConfig(clusterName, CassandraDirectories.under(dir.resolve("node" + i)),
                    dir.resolve("node" + i + "-config"), NodePorts.pick(null), settings, address(i), seeds);
            try {
                return CassandraNode.startReady(runtime, config, READY);
            } catch (CassandraStartException e) {
                if (!e.portConflict() || attempt == 3) {
                    throw e;
                }
            }
        }
    }

    /** 127.0.0.i: the i-th node's address (from 1). */
    public static String address(int i) {
        return "127.0.0." + i;
    }

    /** Each node's Cassandra home, in node order. */
    public List<Path> homes() {
        return homes;
    }

    public CassandraNode node(int i) {
        return nodes.get(i - 1);
    }

    /**
     * A session through the first node; its metadata knows the whole ring. Requests are at QUORUM, so a write
     * acknowledged is on both replicas (of RF 2) before anything is flushed or copied.
     */
    public CqlSession connect() {
        NodeConfig first = nodes.get(0).config();
        return CqlSession.builder()
                .addContactPoint(new InetSocketAddress(first.host(), first.ports().cql()))
                .withLocalDatacenter(first.settings().datacenter())
                .withConfigLoader(DriverConfigLoader.programmaticBuilder()
                        .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, Duration.ofSeconds(30))
                        .withString(DefaultDriverOption.REQUEST_CONSISTENCY, "QUORUM")
                        .withDuration(DefaultDriverOption.METADATA_SCHEMA_REQUEST_TIMEOUT, Duration.ofSeconds(30))
                        .build())
                .build();
    }

    /** Which nodes (from 1) hold the partition {@code key} of {@code keyspace}, as the driver sees the ring. */
    public static Set<Integer> replicas(CqlSession session, String keyspace, ByteBuffer key) {
        Set<Node> replicas = session.getMetadata().getTokenMap().orElseThrow().getReplicas(keyspace, key);
        return replicas.stream().map(r -> {
            String ip = ((InetSocketAddress) r.getEndPoint().resolve()).getAddress().getHostAddress();
            return Integer.parseInt(ip.substring(ip.lastIndexOf('.') + 1));
        }).collect(Collectors.toCollection(TreeSet::new));
    }

    /** nodetool flush of these keyspaces on every running node. */
    public void flush(String... keyspaces) throws Exception {
        for (CassandraNode node : nodes) {
            if (node.isAlive()) {
                node.flush(keyspaces);
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
                        .filter(node -> node.getState() == NodeState.UP).count();
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
        nodes.parallelStream().forEach(node -> node.stop(Duration.ofSeconds(20)));
    }
}
