package io.snapci.executor;

import io.snapci.executor.cassandra.CassandraDirectories;
import io.snapci.executor.cassandra.NodeConfig;
import io.snapci.executor.cassandra.NodePorts;
import io.snapci.model.CassandraSettings;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TestEnvironmentTest {

    private final NodeConfig node = new NodeConfig("snapci-r1", CassandraDirectories.under(Path.of("/tmp/c")),
            Path.of("/tmp/run"), new NodePorts(19042, 17000, 17199),
            new CassandraSettings(null, "dc-eu", null, null, null, null));

    @Test
    void pointsEveryUsualVariableAtTheCopy() {
        Map<String, String> env = TestEnvironment.of(Map.of("PROFILE", "ci"), "r1", node);
        assertEquals("127.0.0.1", env.get("CASSANDRA_HOST"));
        assertEquals("19042", env.get("CASSANDRA_PORT"));
        assertEquals("127.0.0.1:19042", env.get("CASSANDRA_CONTACT_POINTS"));
        assertEquals("dc-eu", env.get("CASSANDRA_DC"));
        assertEquals("17199", env.get("CASSANDRA_JMX_PORT"));
        assertEquals("127.0.0.1:19042", env.get("SPRING_CASSANDRA_CONTACT_POINTS"));
        assertEquals("ci", env.get("PROFILE"));
        assertEquals("r1", env.get("SNAPCI_RUN_ID"));
    }

    @Test
    void aUserVariableCannotPointTheTestsAtProduction() {
        Map<String, String> env = TestEnvironment.of(
                Map.of("CASSANDRA_HOST", "prod-cassandra.internal", "CASSANDRA_PORT", "9042"), "r1", node);
        assertEquals("127.0.0.1", env.get("CASSANDRA_HOST"));
        assertEquals("19042", env.get("CASSANDRA_PORT"));
    }
}
