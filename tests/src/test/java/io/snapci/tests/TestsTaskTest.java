package io.snapci.tests;

import io.snapci.model.tasks.TestsTask;

import com.fasterxml.jackson.databind.JsonNode;
import io.snapci.executor.TestsTaskMain;
import io.snapci.executor.cassandra.CassandraDirectories;
import io.snapci.executor.cassandra.CassandraNode;
import io.snapci.executor.cassandra.CassandraStartException;
import io.snapci.executor.cassandra.CqlReadiness;
import io.snapci.executor.cassandra.NodeConfig;
import io.snapci.executor.cassandra.NodePorts;
import io.snapci.model.ExecutionListener;
import io.snapci.model.CassandraSettings;
import io.snapci.model.Json;
import io.snapci.tests.support.Snapci;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The tests task of a cluster run, against a real Cassandra standing in for its sibling task: it waits for CQL,
 * runs the command in the sandbox, and leaves the result and the merged JUnit XML there with the exit code a CI
 * job should see. One node serves every case.
 */
class TestsTaskTest {

    @TempDir
    static Path dir;
    static CassandraNode sibling;

    @BeforeAll
    static void startSiblingCassandra() throws Exception {
        NodeConfig config = new NodeConfig("sibling", CassandraDirectories.under(dir.resolve("cassandra")),
                dir.resolve("cassandra-run"), NodePorts.pick(null), CassandraSettings.defaults());
        sibling = CassandraNode.startReady(Snapci.cassandraRuntime(), config, Duration.ofMinutes(3));
    }

    @AfterAll
    static void stopSibling() {
        sibling.stop(Duration.ofSeconds(10));
    }

    private static Map<String, String> env(Path sandbox, String command, int port) {
        Map<String, String> env = new HashMap<>();
        env.put("MESOS_SANDBOX", sandbox.toString());
        env.put("CASSANDRA_HOST", "127.0.0.1");
        env.put("CASSANDRA_PORT", String.valueOf(port));
        env.put("SNAPCI_TEST_COMMAND", command);
        env.put("SNAPCI_JUNIT_GLOB", "reports/*.xml");
        env.put("SNAPCI_CASSANDRA_READY_TIMEOUT", "PT30S");
        return env;
    }

    private static JsonNode result(Path sandbox) throws Exception {
        return Json.mapper().readTree(Files.readString(sandbox.resolve(TestsTask.RESULT_FILE)));
    }

    @Test
    void failingTestsExitWithTheirCodeAndLeaveCountsAndJUnitInTheSandbox() throws Exception {
        Path sandbox = Files.createDirectories(dir.resolve("sandbox-fail"));
        String command = "mkdir -p reports && printf '%s' '<testsuite name=\"s\"><testcase classname=\"s.T\" name=\"a\"/>"
                + "<testcase classname=\"s.T\" name=\"b\"><failure message=\"bad quote\"/></testcase></testsuite>'"
                + " > reports/TEST-s.xml && exit 4";

        int exit = TestsTaskMain.run(env(sandbox, command, sibling.config().ports().cql()), sandbox,
                ExecutionListener.NONE);

        assertThat(exit).isEqualTo(4);
        JsonNode result = result(sandbox);
        assertThat(result.get("outcome").asText()).isEqualTo("FAILED");
        assertThat(result.get("tests").get("tests").asInt()).isEqualTo(2);
        assertThat(result.get("tests").get("failures").asInt()).isEqualTo(1);
        assertThat(sandbox.resolve(TestsTask.JUNIT_FILE)).content().contains("<testsuites", "bad quote");
    }

    @Test
    void passingTestsSeeTheSiblingCassandraAndExitZero() throws Exception {
        Path sandbox = Files.createDirectories(dir.resolve("sandbox-pass"));
        int port = sibling.config().ports().cql();

        int exit = TestsTaskMain.run(env(sandbox, "test \"$CASSANDRA_PORT\" = " + port, port), sandbox,
                ExecutionListener.NONE);

        assertThat(exit).isZero();
        assertThat(result(sandbox).get("outcome").asText()).isEqualTo("PASSED");
    }

    @Test
    void aReadyNodeIsSeenReadyAtOnceByTheRawProtocolProbe() throws Exception {
        int port = sibling.config().ports().cql();
        CqlReadiness.await("127.0.0.1", port, "datacenter1", Duration.ofSeconds(10), () -> false);  // warm the JIT

        long start = System.nanoTime();
        String version = CqlReadiness.await("127.0.0.1", port, "datacenter1", Duration.ofSeconds(10), () -> false);
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(version).isEqualTo("5.0.6");
        // A driver session per probe took over 2 s here (Netty's quiet period on close).
        assertThat(took).isLessThan(Duration.ofMillis(300));
    }

    @Test
    void aRealNodeInAnotherDatacenterThanTheTestsNameIsNotReadyForThem() {
        int port = sibling.config().ports().cql();
        // A generous deadline: the first answer of a JIT-cold node can take over a second on a busy machine, and
        // a wrong datacenter is reported as soon as the node answers, not when the deadline passes.
        long start = System.nanoTime();
        assertThatThrownBy(() -> CqlReadiness.await("127.0.0.1", port, "dc-eu", Duration.ofSeconds(60), () -> false))
                .isInstanceOf(CassandraStartException.class)
                .hasMessage("Cassandra at 127.0.0.1:" + port + " will never be ready for the tests: the node is in "
                        + "datacenter datacenter1, not dc-eu (the tests' CASSANDRA_DC), so their driver would find "
                        + "no local node");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(60));
    }

    @Test
    void aCassandraThatNeverAnswersIsAnInfrastructureErrorAndTheTestCommandNeverRuns() throws Exception {
        Path sandbox = Files.createDirectories(dir.resolve("sandbox-nothing"));
        Path ran = sandbox.resolve("the-test-command-ran");
        Map<String, String> env = env(sandbox, "touch '" + ran + "'", NodePorts.pick(null).cql());
        env.put("SNAPCI_CASSANDRA_READY_TIMEOUT", "PT2S");

        int exit = TestsTaskMain.run(env, sandbox, ExecutionListener.NONE);

        assertThat(exit).isEqualTo(3);
        // what keeps a masked run's tests away from the copy until it is masked: the node answers on the tests'
        // address only once masking is over, and nothing of the user's runs before it answers
        assertThat(ran).doesNotExist();
        assertThat(result(sandbox).get("outcome").asText()).isEqualTo("ERROR");
        assertThat(result(sandbox).get("message").asText()).contains("was not ready within 2 s");
    }

    @Test
    void theCommandRunsInTheImagesWorkingDirectoryAndItsReportsAreFoundThereWhileTheResultGoesToTheSandbox()
            throws Exception {
        Path sandbox = Files.createDirectories(dir.resolve("sandbox-workdir"));
        Path workDir = Files.createDirectories(dir.resolve("image-workdir"));
        Files.writeString(workDir.resolve("marker.txt"), "the user's tests live here");
        String command = "test -f marker.txt && pwd > ran-in.txt && mkdir -p reports && printf '%s' "
                + "'<testsuite name=\"s\"><testcase classname=\"s.T\" name=\"a\"/></testsuite>' > reports/TEST-s.xml";

        int exit = TestsTaskMain.run(env(sandbox, command, sibling.config().ports().cql()), workDir,
                ExecutionListener.NONE);

        assertThat(exit).isZero();
        assertThat(Files.readString(workDir.resolve("ran-in.txt")).strip()).isEqualTo(workDir.toString());
        assertThat(result(sandbox).get("tests").get("tests").asInt()).isEqualTo(1);
        assertThat(sandbox.resolve(TestsTask.JUNIT_FILE)).content().contains("<testsuites");
        assertThat(sandbox.resolve("reports")).doesNotExist();
    }
}
