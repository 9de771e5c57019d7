package io.snapci.tests.support;

import com.datastax.oss.driver.api.core.CqlSession;
import io.snapci.executor.cassandra.CassandraDirectories;
import io.snapci.executor.cassandra.CassandraNode;
import io.snapci.executor.cassandra.NodeConfig;
import io.snapci.executor.cassandra.NodePorts;
import io.snapci.model.CassandraSettings;

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
        return new SourceNode(CassandraNode.startReady(Snapci.cassandraRuntime(), config, Duration.ofMinutes(3)));
    }

    public CqlSession connect() {
        return node.connect();
    }

    public void flush(String keyspace) throws Exception {
        node.flush(keyspace);
    }

    /** Drains and stops: a stopped source. */
    @Override
    public void close() {
        node.stop(Duration.ofSeconds(30));
    }
}
