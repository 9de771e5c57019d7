package io.snapci.tests.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.snapci.server.SnapciServer;
import io.snapci.tests.support.ClusterServe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The audit log of serve in mesos mode (ZooKeeper, both peers): the schedule and snapshot operations are recorded
 * in the order they happened, under the caller's identity and the volume, and a new serve process on the same
 * ZooKeeper reads the same log and appends after it.
 */
class ClusterAuditTest {

    @TempDir
    Path dir;

    @Test
    void snapshotOperationsAreRecordedInOrderAndSurviveARestart() throws Exception {
        try (ClusterServe cluster = ClusterServe.peers()) {
            cluster.addProductionVolume();
            SnapciServer first = cluster.serve(dir.resolve("first"), Map.of());
            ApiClient api = ClusterServe.api(first);
            assertThat(api.post("v1/schedules", "{\"name\": \"nightly\", \"volume\": \"cassandra-prod\", "
                    + "\"cron\": \"0 3 * * *\", \"keepLast\": 3}").status()).isEqualTo(201);
            ApiClient.Reply taken = api.post("v1/snapshots", "{\"schedule\": \"nightly\"}");
            assertThat(taken.status()).as(taken.toString()).isEqualTo(201);
            String snapshot = taken.json().get("snapshot").asText();
            first.close();

            SnapciServer second = cluster.serve(dir.resolve("second"), Map.of());
            try {
                ApiClient again = ClusterServe.api(second);
                assertThat(again.delete("v1/schedules/nightly").status()).isEqualTo(204);
                JsonNode log = again.get("v1/audit?source=cassandra-prod").json();
                List<String> lines = new ArrayList<>();
                log.get("entries").forEach(e -> lines.add(e.get("action").asText() + " "
                        + e.get("snapshot").asText() + " by " + e.get("who").asText()));
                assertThat(lines).containsExactly("SCHEDULE_CREATED nightly by token#1",
                        "SNAPSHOT_CREATED " + snapshot + " by token#1", "SCHEDULE_DELETED nightly by token#1");
                assertThat(log.toString()).doesNotContain(ClusterServe.TOKEN);
            } finally {
                second.close();
            }
        }
    }
}
