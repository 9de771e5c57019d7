package io.snapci.tests.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.snapci.server.SnapciServer;
import io.snapci.tests.mesos.Lifecycle;
import io.snapci.tests.mesos.MesosMasterPeer;
import io.snapci.tests.portworx.OpenStorageSdkPeer;
import io.snapci.tests.support.ClusterServe;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole cluster path, through the service a CI job talks to: {@code snapci serve} in mesos mode, configured as
 * the package configures it, with its state in a real ZooKeeper, its clones made by the Portworx driver on the
 * OpenStorage SDK peer, and its runs placed through the Mesos master peer. A CI job posts a run against the
 * production volume; the run goes to the CI-tier agent, passes, its JUnit XML is read from the tests task's sandbox,
 * its clone is gone, and the production volume is exactly as it was.
 */
class ApiOnMesosTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    @Test
    void aCiJobsRunGoesThroughPortworxAndMesosAndLeavesProductionUntouched() throws Exception {
        try (ClusterServe cluster = ClusterServe.peers()) {
            OpenStorageSdkPeer portworx = cluster.portworx();
            MesosMasterPeer master = cluster.master();
            String production = cluster.addProductionVolume();
            String productionBefore = portworx.stateOf(production);
            master.addAgent(ClusterServe.agentInTier("prod-1", "prod"))
                    .addAgent(ClusterServe.agentInTier("ci-1", "ci"))
                    .onLaunch("cassandra", Lifecycle.cassandraAnswering())
                    .onLaunch("tests", Lifecycle.testsPassing(2)
                            .writing("snapci-junit.xml", "<testsuites><testsuite name=\"GuestbookTest\" tests=\"2\">"
                                    + "<testcase name=\"rendersEntries\"/><testcase name=\"storesEntries\"/>"
                                    + "</testsuite></testsuites>"));
            SnapciServer serve = cluster.serve(dir, Map.of("SNAPCI_PLACEMENT_REQUIRED_ATTRIBUTES", "tier:ci"));
            ApiClient ci = ClusterServe.api(serve);
            assertThat(ci.get("v1/health").body()).contains("mesos");
            master.awaitSubscribed(WAIT);

            // A nightly schedule, and its snapshot taken now, on demand.
            ApiClient.Reply schedule = ci.post("v1/schedules", "{\"name\":\"nightly\",\"volume\":"
                    + "\"cassandra-prod\",\"cron\":\"0 3 * * *\",\"keepLast\":3}");
            assertThat(schedule.status()).as(schedule.toString()).isEqualTo(201);
            ApiClient.Reply taken = ci.post("v1/snapshots", "{\"schedule\":\"nightly\"}");
            assertThat(taken.status()).as(taken.toString()).isEqualTo(201);
            String snapshot = taken.json().path("snapshot").asText();
            assertThat(ci.get("v1/snapshots").json().path("snapshots")).anySatisfy(s -> {
                assertThat(s.path("name").asText()).isEqualTo(snapshot);
                assertThat(s.path("sourceVolume").asText()).isEqualTo("cassandra-prod");
                assertThat(s.path("schedule").asText()).isEqualTo("nightly");
            });
            assertThat(ci.get("v1/schedules").body()).contains("nightly");
            assertThat(ci.post("v1/snapshots", "{\"schedule\":\"weekly\"}").status()).isEqualTo(400);
            assertThat(ci.delete("v1/schedules/weekly").status()).isEqualTo(404);

            ApiClient.Reply submitted = ci.post("v1/runs", "{\"clientKey\":\"gitlab-job-4711\","
                    + "\"source\":{\"volume\":\"cassandra-prod\"},\"testCommand\":\"mvn -B test\","
                    + "\"testImage\":\"maven:3-eclipse-temurin-17\"}");
            assertThat(submitted.status()).as(submitted.toString()).isEqualTo(201);
            String runId = submitted.json().path("id").asText();
            master.awaitCall(Call.Type.REVIVE, WAIT);
            master.offerNow();

            JsonNode run = awaitEnd(ci, runId);
            assertThat(run.path("phase").asText()).as(run.toString()).isEqualTo("PASSED");
            assertThat(run.path("placement").path("hostname").asText()).isEqualTo("ci-1.example");
            assertThat(run.path("tests").path("tests").asInt()).isEqualTo(2);
            assertThat(run.path("cleanedUp").asBoolean()).isTrue();
            Call accept = master.calls().stream().map(r -> r.call()).filter(c -> c.getType() == Call.Type.ACCEPT)
                    .findFirst().orElseThrow();
            assertThat(accept.getAccept().getOperations(0).getLaunchGroup().getTaskGroup().getTasks(0)
                    .getContainer().getVolumes(0).getSource().getDockerVolume().getName())
                    .isEqualTo("snapci-" + runId);
            assertThat(ci.get("v1/runs/" + runId + "/junit").body()).contains("rendersEntries");
            // The run's own snapshot and clone are gone; the schedule's snapshot stays under its retention.
            assertThat(portworx.volumeIds()).hasSize(2).contains(production);
            assertThat(portworx.idOfName(snapshot)).isNotNull();
            assertThat(ci.delete("v1/schedules/nightly").status()).isEqualTo(204);
            assertThat(portworx.stateOf(production)).isEqualTo(productionBefore);
        }
    }

    private static JsonNode awaitEnd(ApiClient ci, String runId) throws Exception {
        return ci.runOnceCleanedUp(runId, WAIT);
    }
}
