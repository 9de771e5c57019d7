package io.snapci.executor.cassandra;

import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import java.io.IOException;

/**
 * The few nodetool operations snapci needs, spoken over plain JMX to the node's StorageService MBean, so that no
 * Cassandra class (and no extra JVM for nodetool) is needed.
 */
public final class NodeJmx implements AutoCloseable {

    private static final String STORAGE_SERVICE = "org.apache.cassandra.db:type=StorageService";

    private final JMXConnector connector;
    private final MBeanServerConnection connection;

    private NodeJmx(JMXConnector connector) throws IOException {
        this.connector = connector;
        this.connection = connector.getMBeanServerConnection();
    }

    public static NodeJmx connect(String host, int port) throws IOException {
        JMXServiceURL url = new JMXServiceURL("service:jmx:rmi:///jndi/rmi://" + host + ":" + port + "/jmxrmi");
        return new NodeJmx(JMXConnectorFactory.connect(url));
    }

    /** nodetool drain: flush memtables, stop accepting writes. */
    public void drain() throws Exception {
        connection.invoke(new ObjectName(STORAGE_SERVICE), "drain", new Object[0], new String[0]);
    }

    /** nodetool flush [keyspace]: write memtables to SSTables. */
    public void flush(String keyspace) throws Exception {
        connection.invoke(new ObjectName(STORAGE_SERVICE), "forceKeyspaceFlush",
                new Object[]{keyspace, new String[0]},
                new String[]{String.class.getName(), String[].class.getName()});
    }

    /** nodetool compact keyspace: a major compaction, which writes new SSTables and unlinks the old ones. */
    public void compact(String keyspace) throws Exception {
        connection.invoke(new ObjectName(STORAGE_SERVICE), "forceKeyspaceCompaction",
                new Object[]{false, keyspace, new String[0]},
                new String[]{boolean.class.getName(), String.class.getName(), String[].class.getName()});
    }

    /** nodetool compact keyspace table...: a major compaction of those tables only. */
    public void compact(String keyspace, java.util.List<String> tables) throws Exception {
        connection.invoke(new ObjectName(STORAGE_SERVICE), "forceKeyspaceCompaction",
                new Object[]{false, keyspace, tables.toArray(new String[0])},
                new String[]{boolean.class.getName(), String.class.getName(), String[].class.getName()});
    }

    @Override
    public void close() throws IOException {
        connector.close();
    }
}
