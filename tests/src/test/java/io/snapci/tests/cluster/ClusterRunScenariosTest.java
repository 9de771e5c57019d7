package io.snapci.tests.cluster;

import com.datastax.oss.driver.api.core.CqlSession;
import com.fasterxml.jackson.databind.JsonNode;
import io.snapci.scheduler.local.storage.DirectoryFingerprint;
import io.snapci.tests.api.ApiClient;
import io.snapci.tests.mesos.agent.ImageCatalogue;
import io.snapci.tests.portworx.OpenStorageSdkPeer;
import io.snapci.tests.support.LeftoverProcesses;
import io.snapci.tests.support.SourceNode;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Cluster runs with real Cassandra and real test commands through offers, on {@link LocalCluster}'s executing agents
 * and the Portworx peer's real data: what happens on a real agent to a run, and what snapci makes of it. Each
 * scenario has a cluster of its own (cheap: no Cassandra until a run boots one); all share one stopped production
 * node's data, checked unchanged at the end.
 */
class ClusterRunScenariosTest {

    private static final Duration WAIT = Duration.ofMinutes(3);
    private static final String TOOLS_IMAGE = "snapci-demo/tools:1";

    @TempDir
    static Path shared;
    static Path production;
    static DirectoryFingerprint productionBefore;
    static Path toolsDir;

    @TempDir
    Path dir;
    LocalCluster cluster;
    ApiClient ci;
    Map<String, String> serveEnv = new LinkedHashMap<>();

    /** A stopped production node's data with one table, and a test image whose WORKDIR holds a check script. */
    @BeforeAll
    static void productionData() throws Exception {
        production = shared.resolve("production");
        try (SourceNode node = SourceNode.start(production, shared.resolve("production-node"));
             CqlSession cql = node.connect()) {
            cql.execute("CREATE KEYSPACE shop WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
            cql.execute("CREATE TABLE shop.orders (id int PRIMARY KEY, item text)");
            for (int i = 0; i < 50; i++) {
                cql.execute("INSERT INTO shop.orders (id, item) VALUES (" + i + ", 'item " + i + "')");
            }
            node.flush("shop");
        }
        productionBefore = DirectoryFingerprint.of(production.resolve("data"));
        toolsDir = Files.createDirectories(shared.resolve("tools-image/work"));
        Path check = Files.writeString(toolsDir.resolve("check.sh"), "#!/bin/sh\n"
                + "test -n \"$CASSANDRA_PORT\" || exit 9\necho \"checked in $(pwd)\"\n");
        check.toFile().setExecutable(true, false);
        Files.setPosixFilePermissions(shared, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @AfterAll
    static void productionIsUnchanged() {
        assertThat(DirectoryFingerprint.of(production.resolve("data")).differencesFrom(productionBefore))
                .as("production's files after every scenario").isEmpty();
    }

    private void start(int ciAgents, Map<String, String> env) throws Exception {
        cluster = LocalCluster.start(dir.resolve("cluster"), ciAgents, ImageCatalogue.image(TOOLS_IMAGE)
                .workingDir("/work").env("PATH=/usr/local/bin:/usr/bin:/bin").file("/work", toolsDir).build());
        cluster.addProductionVolume("shop-prod", production);
        serveEnv.putAll(env);
        startServe();
    }

    private void startServe() throws Exception {
        ci = new ApiClient(cluster.serve(serveEnv).baseUri(), LocalCluster.TOKEN);
        cluster.master().awaitSubscribed(WAIT);
    }

    @AfterEach
    void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
        assertThat(LeftoverProcesses.mentioning(dir)).as("processes left").isEmpty();
    }

    private String submit(String testCommand) throws Exception {
        return submit(testCommand, TOOLS_IMAGE);
    }

    private String submit(String testCommand, String image) throws Exception {
        ApiClient.Reply reply = ci.post("v1/runs", "{\"source\":{\"volume\":\"shop-prod\"},\"testCommand\":"
                + ApiClient.JSON.writeValueAsString(testCommand) + ",\"testImage\":\"" + image + "\"}");
        assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
        return reply.json().path("id").asText();
    }

    private JsonNode awaitEnd(String runId) throws Exception {
        JsonNode run = ci.runOnceCleanedUp(runId, WAIT);
        assertThat(run.path("cleanedUp").asBoolean()).as("ended and cleaned up: " + run).isTrue();
        return run;
    }

    private JsonNode awaitPhase(String runId, String phase) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        JsonNode run = ci.get("v1/runs/" + runId).json();
        while (!run.path("phase").asText().equals(phase) && System.nanoTime() < deadline) {
            assertThat(run.path("cleanedUp").asBoolean()).as("ended before " + phase + ": " + run).isFalse();
            Thread.sleep(50);
            run = ci.get("v1/runs/" + runId).json();
        }
        assertThat(run.path("phase").asText()).as(run.toString()).isEqualTo(phase);
        return run;
    }

    /** How many task groups were launched for the run (every ACCEPT's LAUNCH_GROUP naming it). */
    private long launches(String runId) {
        return cluster.master().calls().stream().map(r -> r.call()).filter(c -> c.getType() == Call.Type.ACCEPT)
                .flatMap(c -> c.getAccept().getOperationsList().stream()).filter(o -> o.hasLaunchGroup())
                .filter(o -> o.getLaunchGroup().getExecutor().getExecutorId().getValue().startsWith(runId + "."))
                .count();
    }

    /** The CQL port the run's cassandra task was given (from the offer, in its environment). */
    private String cqlPortOf(String runId) {
        return cluster.master().calls().stream().map(r -> r.call()).filter(c -> c.getType() == Call.Type.ACCEPT)
                .flatMap(c -> c.getAccept().getOperationsList().stream()).filter(o -> o.hasLaunchGroup())
                .filter(o -> o.getLaunchGroup().getExecutor().getExecutorId().getValue().startsWith(runId + "."))
                .flatMap(o -> o.getLaunchGroup().getTaskGroup().getTasksList().stream())
                .filter(t -> t.getName().equals("cassandra"))
                .flatMap(t -> t.getCommand().getEnvironment().getVariablesList().stream())
                .filter(v -> v.getName().equals("CASSANDRA_PORT")).map(v -> v.getValue()).findFirst().orElseThrow();
    }

    private static String readString(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private void onlyProductionLeft() {
        OpenStorageSdkPeer px = cluster.portworx();
        assertThat(px.volumeIds()).as("the runs' snapshots and clones are gone").containsExactly(
                px.idOfName("shop-prod"));
    }

    @Test
    void twoConcurrentRunsOnOneAgentBothPassOnTheirOwnOfferedPorts() throws Exception {
        start(2, Map.of("SNAPCI_PLACEMENT_REQUIRED_ATTRIBUTES", "tier:ci,zone:a"));
        String first = submit("./check.sh && sleep 3");
        String second = submit("./check.sh && sleep 3");

        JsonNode a = awaitEnd(first);
        JsonNode b = awaitEnd(second);

        assertThat(a.path("phase").asText()).as(a.toString()).isEqualTo("PASSED");
        assertThat(b.path("phase").asText()).as(b.toString()).isEqualTo("PASSED");
        assertThat(List.of(a.path("placement").path("agentId").asText(), b.path("placement").path("agentId").asText()))
                .containsOnly(LocalCluster.CI_AGENT);
        assertThat(List.of(cqlPortOf(first), cqlPortOf(second))).as("the runs' CQL ports, both offered")
                .doesNotHaveDuplicates();
        onlyProductionLeft();
    }

    @Test
    void aTestImageWithAWorkdirRunsTheCommandThereAndPasses() throws Exception {
        start(1, Map.of());
        JsonNode run = awaitEnd(submit("./check.sh"));

        assertThat(run.path("phase").asText()).as(run.toString()).isEqualTo("PASSED");
        assertThat(ci.get("v1/runs/" + run.path("id").asText() + "/logs?task=tests").body()).contains("checked in ")
                .contains("/work");
        onlyProductionLeft();
    }

    @Test
    void aBundleThatCannotBeFetchedIsAnErrorWithTheFetchersMessageNotATestFailure() throws Exception {
        start(1, Map.of("SNAPCI_MESOS_EXECUTOR_URI", "http://127.0.0.1:9/snapci/missing.tar.gz",
                "SNAPCI_RUNS_MAX_ATTEMPTS", "1"));
        JsonNode run = awaitEnd(submit("./check.sh"));

        assertThat(run.path("phase").asText()).as(run.toString()).isEqualTo("ERROR");
        // On a real agent the fetch runs in the forked container, so the executor reports only its exit status; the
        // fetcher's own words are at the end of the task's stderr, which the run's logs serve.
        // Both tasks fetch the bundle; whichever fails first gives the run its message.
        assertThat(run.path("message").asText()).containsPattern("Command exited with status 1|ended with exit 1")
                .contains("snapci logs --task");
        // The fetcher's words are in the tasks' sandbox stderr, as the Mesos UI shows it. (snapci's logs API reads a
        // task's files through its tasks/<id> link, which the default executor makes only for a task that launched.)
        String runId = run.path("id").asText();
        String framework = cluster.master().frameworkIds().get(0);
        StringBuilder stderr = new StringBuilder();
        for (String task : List.of("cassandra", "tests")) {
            cluster.agent(LocalCluster.CI_AGENT).sandbox(framework, runId + "." + task + ".1")
                    .map(sandbox -> sandbox.resolve("stderr")).filter(Files::isRegularFile)
                    .ifPresent(file -> stderr.append(readString(file)));
        }
        assertThat(stderr).contains("Failed to fetch 'http://127.0.0.1:9/snapci/missing.tar.gz'");
        onlyProductionLeft();
    }

    @Test
    void aTestCommandThatDoesNotExistIsAnErrorSayingSo() throws Exception {
        start(1, Map.of());
        JsonNode run = awaitEnd(submit("no-such-test-runner --all"));

        assertThat(run.path("phase").asText()).as(run.toString()).isEqualTo("ERROR");
        assertThat(run.path("message").asText()).contains("127").contains("no-such-test-runner");
        onlyProductionLeft();
    }

    @Test
    void testsKilledForUsingMoreMemoryThanTheirTaskHasAreAnErrorNamingTheLimit() throws Exception {
        start(1, Map.of("SNAPCI_TESTS_MEM", "256", "SNAPCI_RUNS_MAX_ATTEMPTS", "1"));
        // tail keeps a line until its end: /dev/zero has none, so it holds all 6 GB it reads.
        JsonNode run = awaitEnd(submit("head -c 6G /dev/zero | tail -n 1 > /dev/null"));

        assertThat(run.path("phase").asText()).as(run.toString()).isEqualTo("ERROR");
        assertThat(run.path("message").asText()).containsIgnoringCase("memory");
        onlyProductionLeft();
    }

    @Test
    void anAgentKilledMidRunIsRetriedOnAnotherAfterItsCloneIsDetachedFromTheLostNodeAndPasses() throws Exception {
        start(2, Map.of());
        String runId = submit("./check.sh && sleep 4");
        JsonNode testing = awaitPhase(runId, "TESTING");
        String firstAgent = testing.path("placement").path("agentId").asText();
        String clone = cluster.portworx().idOfName("snapci-" + runId);
        assertThat(cluster.portworx().attachedOn(clone)).isEqualTo(firstAgent);

        cluster.master().killAgent(firstAgent);
        JsonNode run = awaitEnd(runId);

        assertThat(run.path("phase").asText()).as(run.toString()).isEqualTo("PASSED");
        assertThat(run.path("placement").path("attempt").asInt()).isEqualTo(2);
        assertThat(run.path("placement").path("agentId").asText()).isNotEqualTo(firstAgent)
                .isIn(LocalCluster.CI_AGENT, LocalCluster.CI_AGENT_2);
        assertThat(cluster.portworx().journal()).as("the clone was detached from the lost node")
                .contains(new OpenStorageSdkPeer.Mutation("POST", "/v1/mountattach/detach", clone));
        onlyProductionLeft();
    }

    @Test
    void aSchedulerStoppedWhileCassandraStartsAndAnotherWhileTestsRunAreTakenOverWithoutASecondLaunch()
            throws Exception {
        start(1, Map.of());
        for (String phase : List.of("STARTING_CASSANDRA", "TESTING")) {
            String runId = submit("./check.sh && sleep 5");
            awaitPhase(runId, phase);
            cluster.stopServe();
            startServe();

            JsonNode run = awaitEnd(runId);
            assertThat(run.path("phase").asText()).as(phase + ": " + run).isEqualTo("PASSED");
            assertThat(launches(runId)).as("task groups launched for the run stopped in " + phase).isEqualTo(1);
        }
        onlyProductionLeft();
    }

    @Test
    void aRunWhoseTasksNeverGetPastStartingEndsAsAnErrorInsteadOfWaitingForever() throws Exception {
        start(1, Map.of("SNAPCI_MESOS_LAUNCH_TIMEOUT", "4s", "SNAPCI_RUNS_MAX_ATTEMPTS", "1"));
        cluster.portworx().hangMounts(Duration.ofSeconds(12));
        JsonNode run = awaitEnd(submit("./check.sh"));

        assertThat(run.path("phase").asText()).as(run.toString()).isEqualTo("ERROR");
        assertThat(run.path("message").asText()).contains("had not started after 4 s");
        cluster.portworx().hangMounts(Duration.ZERO);
        onlyProductionLeft();
    }
}
