package io.snapci.tests.cli;

import io.snapci.server.SnapciServer;
import io.snapci.tests.support.CliProcess;
import io.snapci.tests.support.ClusterServe;
import io.snapci.tests.support.LocalServe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code snapci schedules} and {@code snapci snapshots} against serve in mesos mode, configured as the package
 * configures it: schedules kept in a real ZooKeeper, snapshots taken by the Portworx driver on the OpenStorage SDK
 * peer, the Mesos master peer for the framework to subscribe to. On one machine they are refused (409) with a
 * message that says why.
 */
class ClusterSnapshotCommandsTest {

    private static final Duration QUICK = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void schedulesAreCreatedListedAndDeletedAndTheirSnapshotsTakenOnDemand() throws Exception {
        try (ClusterServe cluster = ClusterServe.peers()) {
            cluster.addProductionVolume();
            SnapciServer serve = cluster.serve(dir, Map.of());
            Map<String, String> cliEnv = CliProcess.scrubbedEnv(Map.of("SNAPCI_URL", serve.baseUri().toString(),
                    "SNAPCI_TOKEN", ClusterServe.TOKEN));

            CliProcess none = cli(cliEnv, "schedules", "list");
            assertThat(none.awaitExit(QUICK)).as(none.output()).isZero();
            assertThat(none.output()).contains("no schedules");

            CliProcess create = cli(cliEnv, "schedules", "create", "nightly", "--volume", "cassandra-prod",
                    "--cron", "0 3 * * *", "--keep-last", "3");
            assertThat(create.awaitExit(QUICK)).as(create.output()).isZero();
            assertThat(create.output()).contains("schedule nightly created", "cassandra-prod", "0 3 * * *");

            CliProcess list = cli(cliEnv, "schedules", "list");
            assertThat(list.awaitExit(QUICK)).as(list.output()).isZero();
            assertThat(list.output()).contains("NAME", "nightly", "cassandra-prod", "cron 0 3 * * *");

            CliProcess take = cli(cliEnv, "snapshots", "create", "--schedule", "nightly");
            assertThat(take.awaitExit(QUICK)).as(take.output()).isZero();
            Matcher taken = Pattern.compile("snapshot (\\S+) taken for schedule nightly").matcher(take.output());
            assertThat(taken.find()).as(take.output()).isTrue();

            CliProcess snapshots = cli(cliEnv, "snapshots", "list");
            assertThat(snapshots.awaitExit(QUICK)).as(snapshots.output()).isZero();
            assertThat(snapshots.output()).contains(taken.group(1), "cassandra-prod", "nightly");

            CliProcess unknown = cli(cliEnv, "snapshots", "create", "--schedule", "weekly");
            assertThat(unknown.awaitExit(QUICK)).isEqualTo(2);
            assertThat(unknown.output()).contains("weekly", "HTTP 400", "field schedule");

            CliProcess delete = cli(cliEnv, "schedules", "delete", "nightly");
            assertThat(delete.awaitExit(QUICK)).as(delete.output()).isZero();
            CliProcess again = cli(cliEnv, "schedules", "delete", "nightly");
            assertThat(again.awaitExit(QUICK)).isEqualTo(2);
            assertThat(again.output()).contains("no snapshot schedule named 'nightly'", "HTTP 404");
        }
    }

    @Test
    void onOneMachineTheyAreRefusedSayingWhy() throws Exception {
        try (LocalServe local = LocalServe.start(dir, Map.of())) {
            CliProcess list = cli(CliProcess.scrubbedEnv(Map.of("SNAPCI_URL", local.baseUri().toString(),
                    "SNAPCI_TOKEN", LocalServe.TOKEN)), "snapshots", "list");
            assertThat(list.awaitExit(QUICK)).isEqualTo(2);
            assertThat(list.output()).contains("local mode, which has no snapshots", "HTTP 409");
        }
    }

    private CliProcess cli(Map<String, String> env, String... args) throws Exception {
        return CliProcess.start(dir, env, args);
    }
}
