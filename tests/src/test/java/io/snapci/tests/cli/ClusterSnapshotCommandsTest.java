package io.snapci.tests.cli;

import io.snapci.server.SnapciServer;
import io.snapci.server.config.ServeConfigLoader;
import io.snapci.tests.mesos.MesosMasterPeer;
import io.snapci.tests.mesos.PeerOptions;
import io.snapci.tests.portworx.OpenStorageSdkPeer;
import io.snapci.tests.support.CliProcess;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
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

    private static final String TOKEN = "tok-cluster-cli";
    private static final Duration QUICK = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void schedulesAreCreatedListedAndDeletedAndTheirSnapshotsTakenOnDemand() throws Exception {
        try (TestingServer zookeeper = new TestingServer(true);
             OpenStorageSdkPeer portworx = new OpenStorageSdkPeer(Clock.systemUTC());
             MesosMasterPeer master = MesosMasterPeer.start(PeerOptions.forTests())) {
            portworx.addVolume("cassandra-prod", Map.of("app", "shop"), 50L << 30);
            Map<String, String> env = new LinkedHashMap<>();
            env.put("SNAPCI_MODE", "mesos");
            env.put("SNAPCI_HTTP_PORT", "0");
            env.put("SNAPCI_AUTH_TOKENS", TOKEN);
            env.put("SNAPCI_LOCAL_WORK_ROOT", dir.toString());
            env.put("SNAPCI_MESOS_MASTER", master.url().toString());
            env.put("SNAPCI_ZK_URL", "zk://" + zookeeper.getConnectString() + "/snapci");
            env.put("SNAPCI_MESOS_EXECUTOR_URI", "http://downloads.example/snapci-executor.tar.gz");
            env.put("SNAPCI_PORTWORX_ENDPOINT", portworx.endpoint().toString());
            try (SnapciServer serve = SnapciServer.start(ServeConfigLoader.load(null, env, Map.of()))) {
                Map<String, String> cliEnv = LocalService.cliEnv(Map.of("SNAPCI_URL", serve.baseUri().toString(),
                        "SNAPCI_TOKEN", TOKEN));

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
    }

    @Test
    void onOneMachineTheyAreRefusedSayingWhy() throws Exception {
        try (LocalService local = LocalService.start(dir, Map.of())) {
            CliProcess list = cli(LocalService.cliEnv(Map.of("SNAPCI_URL", local.url().toString(), "SNAPCI_TOKEN",
                    LocalService.TOKEN)), "snapshots", "list");
            assertThat(list.awaitExit(QUICK)).isEqualTo(2);
            assertThat(list.output()).contains("local mode, which has no snapshots", "HTTP 409");
        }
    }

    private CliProcess cli(Map<String, String> env, String... args) throws Exception {
        return CliProcess.start(dir, env, args);
    }
}
