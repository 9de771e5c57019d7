package io.snapci.cli.demo;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import io.snapci.executor.cassandra.CassandraDirectories;
import io.snapci.executor.cassandra.CassandraNode;
import io.snapci.executor.cassandra.CassandraRuntime;
import io.snapci.executor.cassandra.CassandraStartException;
import io.snapci.executor.cassandra.NodeConfig;
import io.snapci.executor.cassandra.NodeJmx;
import io.snapci.executor.cassandra.NodePorts;
import io.snapci.model.CassandraSettings;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The demo's stand-in for production: a Cassandra node of its own, with its data in a Cassandra-home layout
 * ({@code data/}, {@code commitlog/}, ...) and its configuration and logs kept outside that directory, as on a real
 * server. It keeps running while snapci copies it.
 */
final class ProductionNode implements AutoCloseable {

    private final CassandraNode node;
    private final Path home;

    private ProductionNode(CassandraNode node, Path home) {
        this.node = node;
        this.home = home;
    }

    static ProductionNode start(CassandraRuntime runtime, Path home, Path configDir)
            throws IOException, CassandraStartException, NodePorts.PortInUseException {
        NodeConfig config = new NodeConfig("guestbook-production", CassandraDirectories.under(home), configDir,
                NodePorts.pick(null), CassandraSettings.defaults());
        CassandraNode node = new CassandraNode(runtime, config);
        node.start();
        try {
            node.awaitReady(Duration.ofMinutes(3), () -> false);
        } catch (CassandraStartException e) {
            node.kill();
            throw e;
        }
        return new ProductionNode(node, home);
    }

    Path home() {
        return home;
    }

    int cqlPort() {
        return node.config().ports().cql();
    }

    CqlSession connect() {
        return CqlSession.builder()
                .addContactPoint(new InetSocketAddress(NodeConfig.HOST, cqlPort()))
                .withLocalDatacenter(node.config().settings().datacenter())
                .withConfigLoader(DriverConfigLoader.programmaticBuilder()
                        .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, Duration.ofSeconds(20))
                        .build())
                .build();
    }

    /** nodetool flush: what an operator runs before a snapshot of a live node. */
    void flush() throws Exception {
        try (NodeJmx jmx = NodeJmx.connect(NodeConfig.HOST, node.config().ports().jmx())) {
            for (String keyspace : new String[]{"system", "system_schema", "guestbook"}) {
                jmx.flush(keyspace);
            }
        }
    }

    @Override
    public void close() {
        node.stop(Duration.ofSeconds(15));
    }
}
