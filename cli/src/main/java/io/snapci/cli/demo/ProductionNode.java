package io.snapci.cli.demo;

import com.datastax.oss.driver.api.core.CqlSession;
import io.snapci.executor.cassandra.CassandraDirectories;
import io.snapci.executor.cassandra.CassandraNode;
import io.snapci.executor.cassandra.CassandraRuntime;
import io.snapci.executor.cassandra.CassandraStartException;
import io.snapci.executor.cassandra.NodeConfig;
import io.snapci.executor.cassandra.NodePorts;
import io.snapci.model.CassandraSettings;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The demo's stand-in for production: a Cassandra node of its own, with its data in a Cassandra-home layout
 * ({@code data/}, {@code commitlog/}, ...) and its configuration and logs kept outside that directory, as on a real
 * server. It keeps running while snapci copies it.
 */
public final class ProductionNode implements AutoCloseable {

    private final CassandraNode node;

    private ProductionNode(CassandraNode node) {
        this.node = node;
    }

    public static ProductionNode start(CassandraRuntime runtime, Path home, Path configDir)
            throws IOException, CassandraStartException, NodePorts.PortInUseException {
        NodeConfig config = new NodeConfig("guestbook-production", CassandraDirectories.under(home), configDir,
                NodePorts.pick(null), CassandraSettings.defaults());
        return new ProductionNode(CassandraNode.startReady(runtime, config, Duration.ofMinutes(3)));
    }

    public CqlSession connect() {
        return node.connect();
    }

    /** nodetool flush: what an operator runs before a snapshot of a live node. */
    public void flush() throws Exception {
        node.flush("system", "system_schema", "guestbook");
    }

    @Override
    public void close() {
        node.stop(Duration.ofSeconds(15));
    }
}
