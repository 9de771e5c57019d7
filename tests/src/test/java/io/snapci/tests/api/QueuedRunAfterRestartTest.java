package io.snapci.tests.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.snapci.model.RunSpec;
import io.snapci.model.RunStatus;
import io.snapci.model.Source;
import io.snapci.scheduler.zookeeper.ZkConnection;
import io.snapci.scheduler.zookeeper.ZkRunStore;
import io.snapci.scheduler.zookeeper.ZkSettings;
import io.snapci.scheduler.zookeeper.ZkUrl;
import io.snapci.server.SnapciServer;
import io.snapci.tests.mesos.Lifecycle;
import io.snapci.tests.mesos.PeerOptions;
import io.snapci.tests.support.ClusterServe;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A CI job's run accepted by a scheduler that went down before placing it: the next scheduler takes it from the
 * store as QUEUED and runs it, through offers it asks for (a fresh subscription starts with nothing waiting).
 */
class QueuedRunAfterRestartTest {

    @TempDir
    Path dir;

    @Test
    void aRunQueuedWhenTheSchedulerStoppedIsPlacedAndRunByTheNextOne() throws Exception {
        PeerOptions offersEvery100ms = PeerOptions.forTests().withAllocationInterval(Duration.ofMillis(100));
        try (ClusterServe cluster = ClusterServe.peers(offersEvery100ms)) {
            cluster.addProductionVolume();
            cluster.master().addAgent(ClusterServe.agentInTier("ci-1", "ci"))
                    .onLaunch("cassandra", Lifecycle.cassandraAnswering())
                    .onLaunch("tests", Lifecycle.testsPassing(1));
            String runId = "r20261203-101500-beef";
            ZkUrl url = ZkUrl.parse(ClusterServe.packageEnv(dir, cluster.zookeeper(), cluster.master(),
                    cluster.portworx(), Map.of()).get("SNAPCI_ZK_URL"));
            try (ZkConnection zk = ZkConnection.open(url, ZkSettings.defaults())) {
                new ZkRunStore(zk).save(RunStatus.queued(runId, new RunSpec(Source.volume("cassandra-prod"),
                        "mvn -B verify", "maven:3.9-eclipse-temurin-17", null, Map.of(), null, null, null, Map.of()),
                        Instant.now()));
            }

            SnapciServer serve = cluster.serve(dir, Map.of("SNAPCI_PLACEMENT_REQUIRED_ATTRIBUTES", "tier:ci"));
            ApiClient api = ClusterServe.api(serve);

            cluster.master().awaitCall(Call.Type.ACCEPT, Duration.ofSeconds(30));
            JsonNode run = api.runOnceCleanedUp(runId, Duration.ofSeconds(30));
            assertThat(run.path("phase").asText()).as(run.toString()).isEqualTo("PASSED");
        }
    }
}
