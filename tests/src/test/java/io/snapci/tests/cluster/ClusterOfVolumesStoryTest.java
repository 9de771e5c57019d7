package io.snapci.tests.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.snapci.tests.api.ApiClient;
import io.snapci.tests.portworx.OpenStorageSdkPeer;
import io.snapci.tests.support.LeftoverProcesses;
import io.snapci.tests.support.ReadEveryRow;
import io.snapci.tests.support.Snapci;
import io.snapci.tests.support.SpreadShop;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A production cluster of three nodes (RF 2: no node holds every row; the suite's {@link SpreadShop}) as three
 * Portworx volumes, through the whole cluster path: serve in mesos mode takes one group snapshot of the three
 * volumes on the Portworx peer, clones each, and the executing agent's cassandra task mounts the three clones, joins
 * them (snapci's node launcher from the real executor bundle) and boots one node; the tests task reads every row
 * exactly once and writes. Production's files are unchanged, and the three clones and snapshots are gone.
 */
class ClusterOfVolumesStoryTest {

    private static final Duration WAIT = Duration.ofMinutes(3);

    @TempDir
    Path dir;

    @Test
    void threeVolumesAreOneCutCopiedIntoOneNodeThatReturnsEveryRowOnceAndProductionIsUnchanged() throws Exception {
        SpreadShop shop = SpreadShop.get();
        List<Path> homes = shop.homes();
        SpreadShop.ProductionFiles before = shop.productionFiles();
        try (LocalCluster cluster = LocalCluster.start(dir.resolve("cluster"), 1)) {
            OpenStorageSdkPeer portworx = cluster.portworx();
            List<String> production = productionVolumes(cluster, homes);
            List<String> volumesBefore = production.stream().map(portworx::stateOf).toList();
            ApiClient ci = new ApiClient(cluster.serve(Map.of()).baseUri(), LocalCluster.TOKEN);
            cluster.master().awaitSubscribed(Duration.ofSeconds(30));

            // The classpath is longer than a run's test command may be: the command runs a script that has it.
            Path script = java.nio.file.Files.writeString(dir.resolve("read-every-row.sh"), "exec '"
                    + Snapci.javaBinary() + "' -cp '" + Snapci.testClasspath() + "' " + ReadEveryRow.class.getName()
                    + "\n");
            String command = "sh '" + script + "'";
            ApiClient.Reply reply = ci.post("v1/runs", "{\"source\":{\"volumes\":[\"shop-1\",\"shop-2\",\"shop-3\"]},"
                    + "\"testCommand\":" + ApiClient.JSON.writeValueAsString(command) + ",\"testImage\":\""
                    + LocalCluster.GUESTBOOK_IMAGE + "\"}");
            assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
            String runId = reply.json().path("id").asText();
            JsonNode run = awaitEnd(ci, runId);
            String tests = ci.get("v1/runs/" + runId + "/logs?task=tests").body();

            assertThat(run.path("phase").asText()).as(run + "\n" + tests + "\n"
                    + ci.get("v1/runs/" + runId + "/logs?task=cassandra").body()).isEqualTo("PASSED");
            assertThat(tests).as("every row once, as production has it").contains(shop.everyRowOnce())
                    .contains("wrote " + ReadEveryRow.WRITES + " rows and read " + ReadEveryRow.WRITES + " back");
            assertThat(run.path("spec").path("source").path("volumes")).hasSize(3);
            assertThat(run.path("snapshot").asText()).as("the record says how the cut was taken")
                    .contains("3 nodes into one", "one group snapshot", "shop-1", "shop-3");
            assertThat(run.path("snapshotSpreadMillis").isNumber()).as(run.toString()).isTrue();
            assertThat(run.path("snapshotSpreadMillis").asLong()).isZero();
            assertThat(portworx.groupSnapshotRequests()).isEqualTo(1);
            Call accept = cluster.master().calls().stream().map(r -> r.call())
                    .filter(c -> c.getType() == Call.Type.ACCEPT).findFirst().orElseThrow();
            // the copies: the clones as docker volumes (the agent's class-archive directory is a HOST_PATH beside them)
            assertThat(accept.getAccept().getOperations(0).getLaunchGroup().getTaskGroup().getTasks(0).getContainer()
                    .getVolumesList().stream().filter(v -> v.getSource().getType()
                            == org.apache.mesos.v1.Protos.Volume.Source.Type.DOCKER_VOLUME).toList())
                    .extracting(v -> v.getContainerPath() + "=" + v.getSource().getDockerVolume()
                    .getName()).containsExactly("snapci-copy=snapci-" + runId, "snapci-copy-2=snapci-" + runId
                    + "-node-2", "snapci-copy-3=snapci-" + runId + "-node-3");

            assertThat(portworx.volumeIds()).as("the three clones and snapshots are gone")
                    .containsExactlyInAnyOrderElementsOf(production);
            assertThat(production.stream().map(portworx::stateOf).toList()).isEqualTo(volumesBefore);
        }
        assertThat(before.changes()).isEmpty();
        assertThat(LeftoverProcesses.mentioning(dir)).as("processes left").isEmpty();
    }

    /**
     * The same production cluster under a snapshot schedule of its three volumes (one cut per tick): a run over the
     * three volumes with a maxAge clones the schedule's cut instead of taking its own, reads every row once, and its
     * record names the cut, its age and spread; the run's clones go with it, the schedule's cut stays.
     */
    @Test
    void aRunWithMaxAgeReusesTheScheduledCutOfTheThreeVolumes() throws Exception {
        SpreadShop shop = SpreadShop.get();
        List<Path> homes = shop.homes();
        try (LocalCluster cluster = LocalCluster.start(dir.resolve("cluster"), 1)) {
            OpenStorageSdkPeer portworx = cluster.portworx();
            List<String> production = productionVolumes(cluster, homes);
            List<String> volumesBefore = production.stream().map(portworx::stateOf).toList();
            ApiClient ci = new ApiClient(cluster.serve(Map.of("SNAPCI_SNAPSHOTS_SCHEDULES",
                    "nodes;shop-1,shop-2,shop-3;every 1h;3;")).baseUri(), LocalCluster.TOKEN);
            cluster.master().awaitSubscribed(Duration.ofSeconds(30));
            ApiClient.Reply taken = ci.post("v1/snapshots", "{\"schedule\":\"nodes\"}");
            assertThat(taken.status()).as(taken.toString()).isEqualTo(201);
            String cut = taken.json().path("snapshot").asText();
            assertThat(cut).startsWith("snapci-sched-nodes-");
            assertThat(ci.get("v1/snapshots").json().path("snapshots")).as("one snapshot of each volume")
                    .filteredOn(s -> s.path("schedule").asText().equals("nodes")).hasSizeGreaterThanOrEqualTo(3);
            long cutsTaken = portworx.groupSnapshotRequests();

            Path script = java.nio.file.Files.writeString(dir.resolve("read-every-row.sh"), "exec '"
                    + Snapci.javaBinary() + "' -cp '" + Snapci.testClasspath() + "' " + ReadEveryRow.class.getName()
                    + "\n");
            ApiClient.Reply reply = ci.post("v1/runs", "{\"source\":{\"volumes\":[\"shop-1\",\"shop-2\",\"shop-3\"],"
                    + "\"maxAge\":\"PT1H\"},\"testCommand\":" + ApiClient.JSON.writeValueAsString("sh '" + script + "'")
                    + ",\"testImage\":\"" + LocalCluster.GUESTBOOK_IMAGE + "\"}");
            assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
            String runId = reply.json().path("id").asText();
            JsonNode run = awaitEnd(ci, runId);
            String tests = ci.get("v1/runs/" + runId + "/logs?task=tests").body();

            assertThat(run.path("phase").asText()).as(run + "\n" + tests).isEqualTo("PASSED");
            assertThat(tests).as("every row once, as production has it").contains(shop.everyRowOnce());
            assertThat(run.path("snapshot").asText()).as("the record names the reused cut, its age and spread")
                    .contains("3 nodes into one", "reused scheduled cut snapci-sched-nodes-", "schedule 'nodes'",
                            "one group snapshot", "old when the run started");
            assertThat(run.path("snapshotSpreadMillis").asLong()).isZero();
            assertThat(portworx.groupSnapshotRequests()).as("the run took no cut of its own").isEqualTo(cutsTaken);
            assertThat(portworx.volumeIds().stream().map(portworx::stateOf))
                    .as("the run's clones are gone").noneMatch(state -> state.contains("name=snapci-" + runId));
            assertThat(portworx.volumeIds().stream().map(portworx::labelsOf))
                    .as("the schedule's cut stays").filteredOn(l -> cut.equals(l.get("snapci-group"))).hasSize(3);
            assertThat(production.stream().map(portworx::stateOf).toList()).isEqualTo(volumesBefore);
        }
        assertThat(LeftoverProcesses.mentioning(dir)).as("processes left").isEmpty();
    }

    private static JsonNode awaitEnd(ApiClient ci, String runId) throws Exception {
        JsonNode run = ci.runOnceCleanedUp(runId, WAIT);
        assertThat(run.path("cleanedUp").asBoolean()).as("ended and cleaned up: " + run).isTrue();
        return run;
    }

    /** The shop's three node directories as the production volumes shop-1..3 on the Portworx peer. */
    private static List<String> productionVolumes(LocalCluster cluster, List<Path> homes) throws Exception {
        List<String> production = new ArrayList<>();
        for (int n = 1; n <= 3; n++) {
            production.add(cluster.addProductionVolume("shop-" + n, homes.get(n - 1)));
        }
        return production;
    }
}
