package io.snapci.executor;

import io.snapci.executor.cassandra.NodeConfig;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The environment a test command sees: the user's variables, then the variables that point at the copy. The
 * latter always win, so that a CI job cannot point its tests at production by accident.
 */
public final class TestEnvironment {

    private TestEnvironment() {
    }

    public static Map<String, String> of(Map<String, String> userEnv, String runId, NodeConfig node) {
        String host = NodeConfig.HOST;
        String port = String.valueOf(node.ports().cql());
        String dc = node.settings().datacenter();
        Map<String, String> env = new LinkedHashMap<>(userEnv);
        env.put("CASSANDRA_HOST", host);
        env.put("CASSANDRA_PORT", port);
        env.put("CASSANDRA_CONTACT_POINTS", host + ":" + port);
        env.put("CASSANDRA_DC", dc);
        env.put("CASSANDRA_LOCAL_DATACENTER", dc);
        env.put("CASSANDRA_JMX_PORT", String.valueOf(node.ports().jmx()));
        // Spring Boot's relaxed binding of spring.cassandra.*, so Spring apps need no change.
        env.put("SPRING_CASSANDRA_CONTACT_POINTS", host + ":" + port);
        env.put("SPRING_CASSANDRA_PORT", port);
        env.put("SPRING_CASSANDRA_LOCAL_DATACENTER", dc);
        env.put("SNAPCI_RUN_ID", runId);
        return env;
    }
}
