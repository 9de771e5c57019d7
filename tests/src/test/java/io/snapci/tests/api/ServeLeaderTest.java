package io.snapci.tests.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.snapci.tests.mesos.Lifecycle;
import io.snapci.tests.mesos.MesosMasterPeer;
import io.snapci.tests.mesos.PeerOptions;
import io.snapci.tests.portworx.OpenStorageSdkPeer;
import io.snapci.tests.support.CliProcess;
import io.snapci.tests.support.ClusterServe;
import org.apache.curator.test.TestingServer;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One leader: two {@code snapci serve} processes in mesos mode against the same ZooKeeper root. The first leads
 * (subscribes, launches); the second is healthy but passive and says who leads; when the first is killed (SIGKILL:
 * no goodbye, its ZooKeeper session simply expires) the second takes over its run and finishes it; when the second
 * then loses its ZooKeeper session it ends itself with the leadership-lost exit code.
 */
class ServeLeaderTest {

    private static final String TOKEN = "tok-leader";
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void aStandbyWaitsPassiveTakesOverWhenTheLeaderDiesAndExitsWhenItsSessionIsLost() throws Exception {
        try (TestingServer zookeeper = new TestingServer(true);
             OpenStorageSdkPeer portworx = new OpenStorageSdkPeer(Clock.systemUTC());
             MesosMasterPeer master = MesosMasterPeer.start(PeerOptions.forTests())) {
            portworx.addVolume("cassandra-prod", Map.of("app", "shop"), 50L << 30);
            master.addAgent(ClusterServe.agentInTier("ci-1", "ci"))
                    .onLaunch("cassandra", Lifecycle.of(TaskState.TASK_STARTING, TaskState.TASK_RUNNING)
                            .thenTcpCheckPassed())
                    .onLaunch("tests", Lifecycle.runsUntilKilled());
            Map<String, String> env = new LinkedHashMap<>();
            env.put("SNAPCI_MODE", "mesos");
            env.put("SNAPCI_AUTH_TOKENS", TOKEN);
            env.put("SNAPCI_MESOS_MASTER", master.url().toString());
            env.put("SNAPCI_ZK_URL", "zk://" + zookeeper.getConnectString() + "/snapci");
            env.put("SNAPCI_ZK_SESSION_TIMEOUT", "4s");
            env.put("SNAPCI_MESOS_EXECUTOR_URI", "http://downloads.example/snapci-executor.tar.gz");
            env.put("SNAPCI_PORTWORX_ENDPOINT", portworx.endpoint().toString());

            int firstPort = freePort();
            CliProcess first = serve(env, "first", firstPort);
            CliProcess second = null;
            try {
                first.awaitOutput("listening on", WAIT);
                ApiClient leader = client(firstPort);
                assertThat(leader.get("v1/health").json().path("status").asText()).isEqualTo("ok");
                String frameworkId = master.awaitSubscribed(WAIT).getFrameworkId().getValue();

                int secondPort = freePort();
                second = serve(env, "second", secondPort);
                second.awaitOutput("serving as a standby", WAIT);
                second.awaitOutput("listening on", WAIT);
                ApiClient standby = client(secondPort);
                ApiClient.Reply health = standby.get("v1/health");
                assertThat(health.status()).as("a standby is healthy: Marathon must not kill it").isEqualTo(200);
                assertThat(health.json().path("status").asText()).isEqualTo("standby");
                assertThat(health.json().path("leader").asText()).contains(":" + firstPort);
                ApiClient.Reply refused = standby.post("v1/runs", run());
                assertThat(refused.status()).as(refused.toString()).isEqualTo(503);
                assertThat(refused.json().path("message").asText()).contains("standby").contains(":" + firstPort);

                ApiClient.Reply submitted = leader.post("v1/runs", run());
                assertThat(submitted.status()).as(submitted.toString()).isEqualTo(201);
                String runId = submitted.json().path("id").asText();
                master.awaitCall(Call.Type.REVIVE, WAIT);
                master.offerNow();
                master.awaitCall(Call.Type.ACCEPT, WAIT);
                leader.awaitPhase(runId, WAIT, "TESTING");
                assertThat(subscribes(master)).as("only the leader subscribed").isEqualTo(1);

                first.killHard();
                awaitStatus(standby, "ok");
                assertThat(master.awaitSubscribed(WAIT).getFrameworkId().getValue()).isEqualTo(frameworkId);
                assertThat(subscribes(master)).isEqualTo(2);
                master.sendUpdate(runId + ".tests.1", TaskState.TASK_FINISHED, "Command exited with status 0", null);
                JsonNode ended = standby.awaitPhase(runId, WAIT, "PASSED", "FAILED", "ERROR", "CANCELLED");
                assertThat(ended.path("phase").asText()).as(ended.toString()).isEqualTo("PASSED");
                assertThat(ended.path("placement").path("attempt").asInt()).as("followed, not relaunched").isEqualTo(1);
                assertThat(master.calls().stream().filter(c -> c.call().getType() == Call.Type.ACCEPT)).hasSize(1);

                // ZooKeeper goes away for longer than the session: the leader can no longer know it leads.
                zookeeper.stop();
                assertThat(second.awaitExit(WAIT)).as(second.output()).isEqualTo(73);
                assertThat(second.output()).contains("LEADERSHIP_LOST").contains("lost the leader lock");
            } finally {
                first.killHard();
                if (second != null) {
                    second.killHard();
                }
            }
        }
    }

    private CliProcess serve(Map<String, String> env, String name, int port) throws Exception {
        Map<String, String> own = new LinkedHashMap<>(env);
        own.put("SNAPCI_HTTP_PORT", String.valueOf(port));
        Path workRoot = Files.createDirectories(dir.resolve(name));
        own.put("SNAPCI_LOCAL_WORK_ROOT", workRoot.toString());
        return CliProcess.start(workRoot, own, "serve");
    }

    private static ApiClient client(int port) {
        return new ApiClient(URI.create("http://127.0.0.1:" + port + "/"), TOKEN);
    }

    private static String run() {
        return "{\"source\":{\"volume\":\"cassandra-prod\"},\"testCommand\":\"mvn -B test\","
                + "\"testImage\":\"maven:3-eclipse-temurin-17\"}";
    }

    private static long subscribes(MesosMasterPeer master) {
        return master.calls().stream().filter(c -> c.call().getType() == Call.Type.SUBSCRIBE && c.status() == 200)
                .count();
    }

    private static void awaitStatus(ApiClient api, String status) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        String now = "";
        while (System.nanoTime() < deadline) {
            now = api.get("v1/health").json().path("status").asText();
            if (now.equals(status)) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("health never said " + status + "; last: " + now);
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
