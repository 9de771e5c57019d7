package io.snapci.executor;

import io.snapci.executor.cassandra.NodeConfig;
import io.snapci.model.tasks.TestsTask;

import java.util.Map;

/**
 * The environment a test command sees on one machine: {@link TestsTask#testEnvironment} for the node snapci
 * started.
 */
public final class TestEnvironment {

    private TestEnvironment() {
    }

    public static Map<String, String> of(Map<String, String> userEnv, String runId, NodeConfig node) {
        return TestsTask.testEnvironment(userEnv, runId, NodeConfig.HOST, node.ports().cql(),
                node.settings().datacenter(), node.ports().jmx());
    }
}
