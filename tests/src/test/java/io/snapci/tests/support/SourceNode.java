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
        return start(home, configDir, CassandraSettings.defaults());
    }

    /**
     * A node that syncs its commit log every 100 ms instead of every 10 s, so a test can crash it a moment after
     * writing and know its writes were synced (replayable) without waiting out the default period.
     */
    public static SourceNode startSyncingOften(Path home, Path configDir) throws Exception {
        return start(home, configDir, new CassandraSettings(null, null, null, null, java.util.List.of(
                "-Dcassandra.config.allow_system_properties=true",
                "-Dcassandra.settings.commitlog_sync_period=100ms"), null));
    }

    private static SourceNode start(Path home, Path configDir, CassandraSettings settings) throws Exception {
        NodeConfig config = new NodeConfig("production", CassandraDirectories.under(home), configDir,
                NodePorts.pick(null), settings);
        return new SourceNode(CassandraNode.startReady(Snapci.cassandraRuntime(), config, Duration.ofMinutes(3)));
    }

    /** SIGKILL, as a crash or a lost machine: no drain, no flush, no shutdown hook; the commit log as it was. */
    public void crash() throws InterruptedException {
        ProcessHandle process = ProcessHandle.of(node.pid().orElseThrow()).orElseThrow();
        process.destroyForcibly();
        process.onExit().join();
        node.kill();
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
