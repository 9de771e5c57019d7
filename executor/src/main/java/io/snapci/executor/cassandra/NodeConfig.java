package io.snapci.executor.cassandra;

import io.snapci.model.CassandraSettings;

import java.nio.file.Path;

/**
 * Everything needed to start one node.
 *
 * @param clusterName a name of its own, so the node can never be taken for a member of the source's cluster
 * @param dirs        where it keeps its data
 * @param runDir      where its configuration and logs go
 * @param ports       where it listens
 * @param settings    heap, datacenter, partitioner
 * @param host        the loopback address it listens on (CQL, internode); JMX is always on {@link #HOST}
 * @param seeds       its seeds, {@code host:port,...}; {@code null}: itself alone (every copy: it must never find
 *                    another node). Only a test's stand-in production cluster names others.
 */
public record NodeConfig(String clusterName, CassandraDirectories dirs, Path runDir, NodePorts ports,
                         CassandraSettings settings, String host, String seeds) {

    public static final String HOST = "127.0.0.1";

    /** A node alone on 127.0.0.1: every copy, and a one-node production. */
    public NodeConfig(String clusterName, CassandraDirectories dirs, Path runDir, NodePorts ports,
                      CassandraSettings settings) {
        this(clusterName, dirs, runDir, ports, settings, HOST, null);
    }

    public NodeConfig {
        host = host == null ? HOST : host;
    }

    /** Its seeds: the ones given, or itself. */
    public String seedList() {
        return seeds != null ? seeds : host + ":" + ports.storage();
    }

    public Path yamlFile() {
        return runDir.resolve("cassandra.yaml");
    }

    public Path rackDcFile() {
        return runDir.resolve("cassandra-rackdc.properties");
    }

    public Path logbackFile() {
        return runDir.resolve("logback.xml");
    }

    public Path logDir() {
        return runDir.resolve("cassandra-logs");
    }

    public Path systemLog() {
        return logDir().resolve("system.log");
    }

    /** Where the JVM's own stdout and stderr go (JVM errors before logging starts). */
    public Path consoleLog() {
        return runDir.resolve("cassandra.out");
    }
}
