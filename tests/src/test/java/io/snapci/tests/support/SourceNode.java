package io.snapci.tests.support;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import io.snapci.executor.cassandra.CassandraDirectories;
import io.snapci.executor.cassandra.CassandraNode;
import io.snapci.executor.cassandra.NodeConfig;
import io.snapci.executor.cassandra.NodeJmx;
import io.snapci.executor.cassandra.NodePorts;
import io.snapci.model.CassandraSettings;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A "production" node for tests: its data in a Cassandra-home layout under {@code home}, its configuration and
 * logs elsewhere, like a real server's.
 */
public final class SourceNode implements AutoCloseable {

    private final CassandraNode node;

    private SourceNode(CassandraNode node) {
        this.node = node;
    }

    public static SourceNode start(Path home, Path configDir) throws Exception {
        NodeConfig config = new NodeConfig("production", CassandraDirectories.under(home), configDir,
                NodePorts.pick(null), CassandraSettings.defaults());
        CassandraNode node = new CassandraNode(Snapci.cassandraRuntime(), config);
        node.start();
        try {
            node.awaitReady(Duration.ofMinutes(3), () -> false);
        } catch (Exception e) {
            node.kill();
            throw e;
        }
        return new SourceNode(node);
    }

    public CqlSession connect() {
        return CqlSession.builder()
                .addContactPoint(new InetSocketAddress(NodeConfig.HOST, node.config().ports().cql()))
                .withLocalDatacenter(CassandraSettings.DEFAULT_DATACENTER)
                .withConfigLoader(DriverConfigLoader.programmaticBuilder()
                        .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, Duration.ofSeconds(30)).build())
                .build();
    }

    public void flush(String keyspace) throws Exception {
        try (NodeJmx jmx = NodeJmx.connect(NodeConfig.HOST, node.config().ports().jmx())) {
            jmx.flush(keyspace);
        }
    }

    /** Drains and stops: a stopped source. */
    @Override
    public void close() {
        node.stop(Duration.ofSeconds(30));
    }
}
