package io.snapci.model.tasks;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The contract between the scheduler and the tests it runs, on one machine and in a cluster's tests task: the
 * environment that points a test command at the copy, the variables that configure the tests task, the files it
 * leaves in its sandbox, and its exit code for "could not run the tests". Both sides use this class; nothing else
 * spells these names.
 */
public final class TestsTask {

    /** What the tests task leaves in its sandbox: its verdict ({@link TestsTaskReport}) and the merged JUnit XML. */
    public static final String RESULT_FILE = "snapci-result.json";
    public static final String JUNIT_FILE = "snapci-junit.xml";

    /** The exit code for "could not run the tests" (infrastructure), as the CLI also uses it. */
    public static final int EXIT_INFRASTRUCTURE = 3;

    // What configures the tests task (set by the scheduler, read by the task).
    public static final String TEST_COMMAND = "SNAPCI_TEST_COMMAND";
    public static final String JUNIT_GLOB = "SNAPCI_JUNIT_GLOB";
    public static final String READY_TIMEOUT = "SNAPCI_CASSANDRA_READY_TIMEOUT";
    public static final String TEST_TIMEOUT = "SNAPCI_TEST_TIMEOUT";
    public static final String RUN_ID = "SNAPCI_RUN_ID";
    /** Mesos' name for the task's sandbox directory. */
    public static final String MESOS_SANDBOX = "MESOS_SANDBOX";

    // What points the test command at the copy.
    public static final String CASSANDRA_HOST = "CASSANDRA_HOST";
    public static final String CASSANDRA_PORT = "CASSANDRA_PORT";
    public static final String CASSANDRA_DC = "CASSANDRA_DC";
    public static final String CASSANDRA_JMX_PORT = "CASSANDRA_JMX_PORT";

    private TestsTask() {
    }

    /**
     * The environment a test command sees: the user's variables, then the ones that point at the copy. The latter
     * always win, so that a CI job cannot point its tests at production by accident.
     *
     * @param jmxPort the copy's JMX port, or null where the tests cannot reach it
     */
    public static Map<String, String> testEnvironment(Map<String, String> userEnv, String runId, String host,
                                                      int cqlPort, String datacenter, Integer jmxPort) {
        String port = String.valueOf(cqlPort);
        Map<String, String> env = new LinkedHashMap<>(userEnv);
        env.put(CASSANDRA_HOST, host);
        env.put(CASSANDRA_PORT, port);
        env.put("CASSANDRA_CONTACT_POINTS", host + ":" + port);
        env.put(CASSANDRA_DC, datacenter);
        env.put("CASSANDRA_LOCAL_DATACENTER", datacenter);
        if (jmxPort != null) {
            env.put(CASSANDRA_JMX_PORT, String.valueOf(jmxPort));
        }
        // Spring Boot's relaxed binding of spring.cassandra.*, so Spring apps need no change.
        env.put("SPRING_CASSANDRA_CONTACT_POINTS", host + ":" + port);
        env.put("SPRING_CASSANDRA_PORT", port);
        env.put("SPRING_CASSANDRA_LOCAL_DATACENTER", datacenter);
        env.put(RUN_ID, runId);
        return env;
    }
}
