package io.snapci.tests.support;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import io.snapci.executor.cassandra.NodeJmx;

import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * How a test suite run by snapci reaches its copy: the CASSANDRA_* variables snapci sets (CQL host, port and
 * datacenter, the JMX port). Requests may take 30 s: TRUNCATE and DROP wait for the schema to settle, and on a busy
 * 2-core machine the driver's default 2 s is too short for them, as it would be for a real suite on a loaded CI
 * agent.
 */
final class CopyConnection {

    private CopyConnection() {
    }

    static CqlSession cql() {
        DriverConfigLoader patient = DriverConfigLoader.programmaticBuilder()
                .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, Duration.ofSeconds(30)).build();
        return CqlSession.builder().addContactPoint(new InetSocketAddress(System.getenv("CASSANDRA_HOST"),
                        Integer.parseInt(System.getenv("CASSANDRA_PORT"))))
                .withLocalDatacenter(System.getenv("CASSANDRA_DC")).withConfigLoader(patient).build();
    }

    static NodeJmx jmx() throws Exception {
        return NodeJmx.connect(System.getenv("CASSANDRA_HOST"), Integer.parseInt(System.getenv("CASSANDRA_JMX_PORT")));
    }
}
