package io.snapci.server.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Configuration layers (defaults < file < environment < flags) and the errors a wrong value gets. */
class ApiServeConfigTest {

    @TempDir
    Path dir;

    @Test
    void eachLayerOverridesTheOneBefore() throws Exception {
        Path file = dir.resolve("serve.properties");
        Files.writeString(file, "http.port=9000\nruns.maxConcurrent=3\nshutdown.timeout=2m\n");

        ServeConfig config = ServeConfigLoader.load(file,
                Map.of("SNAPCI_RUNS_MAX_CONCURRENT", "5", "SNAPCI_CASSANDRA_LIB", "/not/a/key"),
                Map.of("http.port", "9100"));

        assertThat(config.httpPort()).isEqualTo(9100);
        assertThat(config.maxConcurrentRuns()).isEqualTo(5);
        assertThat(config.shutdownTimeout()).isEqualTo(Duration.ofMinutes(2));
        assertThat(config.maxQueuedRuns()).isEqualTo(100);
        assertThat(config.mode()).isEqualTo(ServeConfig.Mode.LOCAL);
        assertThat(config.httpHost()).isEqualTo("127.0.0.1");
    }

    @Test
    void environmentNamesFollowTheKeys() {
        assertThat(ConfigKey.RUNS_MAX_CONCURRENT.envName()).isEqualTo("SNAPCI_RUNS_MAX_CONCURRENT");
        assertThat(ConfigKey.AUTH_DCOS_PUBLIC_KEY_FILE.envName()).isEqualTo("SNAPCI_AUTH_DCOS_PUBLIC_KEY_FILE");
    }

    @Test
    void anUnknownKeyInAFileOrFlagIsRefusedWithTheKnownKeys() throws Exception {
        Path file = dir.resolve("serve.properties");
        Files.writeString(file, "http.prot=9000\n");
        assertThatThrownBy(() -> ServeConfigLoader.load(file, Map.of(), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("http.prot").hasMessageContaining("http.port");
        assertThatThrownBy(() -> ServeConfigLoader.load(null, Map.of(), Map.of("runs.max", "2")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("--set runs.max");
    }

    @Test
    void aBadValueNamesTheKeyAndWhereItCameFrom() {
        assertThatThrownBy(() -> ServeConfigLoader.load(null, Map.of("SNAPCI_HTTP_PORT", "eighty"), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("http.port").hasMessageContaining("SNAPCI_HTTP_PORT").hasMessageContaining("0 and 65535");
        assertThatThrownBy(() -> ServeConfigLoader.load(null, Map.of(), Map.of("shutdown.timeout", "soon")))
                .hasMessageContaining("90s");
        assertThatThrownBy(() -> ServeConfigLoader.load(null, Map.of(), Map.of("mode", "kubernetes")))
                .hasMessageContaining("local or mesos");
    }

    @Test
    void tokensAreCollectedFromListAndFileAndNeverPrinted() throws Exception {
        Path tokens = dir.resolve("tokens");
        Files.writeString(tokens, "# CI tokens\nfile-token-1\n\n");
        ServeConfig config = ServeConfigLoader.load(null, Map.of("SNAPCI_AUTH_TOKENS", "env-token-1, env-token-2"),
                Map.of("auth.tokensFile", tokens.toString()));
        assertThat(config.auth().tokens()).containsExactlyInAnyOrder("env-token-1", "env-token-2", "file-token-1");
        assertThat(config.toString()).doesNotContain("env-token-1", "file-token-1").contains("3 token(s)");
    }

    @Test
    void mesosModeNamesEachSettingItStillNeeds() {
        assertThatThrownBy(() -> ServeConfigLoader.load(null, Map.of(), Map.of("mode", "mesos",
                "mesos.master", "http://leader.mesos:5050"))).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("zk.url is required");
        assertThatThrownBy(() -> ServeConfigLoader.load(null, Map.of(), Map.of("mode", "mesos",
                "mesos.master", "http://leader.mesos:5050", "zk.url", "zk://master.mesos:2181/snapci")))
                .hasMessageStartingWith("mesos.executorUri is required");
    }

    @Test
    void mesosModeReadsTheClusterSettingsAsThePackageWritesThemAndHidesItsSecrets() {
        Map<String, String> env = Map.ofEntries(Map.entry("SNAPCI_MODE", "mesos"),
                Map.entry("SNAPCI_MESOS_MASTER", "http://leader.mesos:5050"),
                Map.entry("SNAPCI_ZK_URL", "zk://master.mesos:2181/snapci"),
                Map.entry("SNAPCI_MESOS_EXECUTOR_URI", "https://downloads.example/snapci-executor.tar.gz"),
                Map.entry("SNAPCI_MESOS_SERVICE_ACCOUNT_CREDENTIAL", "{\"uid\":\"snapci\",\"private_key\":\"SECRET-KEY\"}"),
                Map.entry("SNAPCI_PORTWORX_ENDPOINT", "http://10.0.0.5:9021"),
                Map.entry("SNAPCI_PORTWORX_VOLUME_API", "http://10.0.0.5:9001"),
                Map.entry("SNAPCI_PORTWORX_TOKEN", "PX-SECRET"),
                Map.entry("SNAPCI_PORTWORX_CI_NODE_LABELS", "snapci/tier=ci, zone=b"),
                Map.entry("SNAPCI_PLACEMENT_REQUIRED_ATTRIBUTES", "tier:ci,rack:r2"),
                Map.entry("SNAPCI_CASSANDRA_CPUS", "1.5"),
                Map.entry("SNAPCI_RUNS_MAX_ATTEMPTS", "4"),
                Map.entry("SNAPCI_RUNS_TEST_TIMEOUT", "30m"),
                Map.entry("SNAPCI_SNAPSHOTS_SCHEDULES", "nightly;cassandra-prod;cron 0 3 * * *;7;\n\n"),
                Map.entry("SNAPCI_PORTWORX_BASE_COPIES", "orders;cassandra-orders;every 6h;2\n"));

        ServeConfig config = ServeConfigLoader.load(null, env, Map.of());

        ClusterConfig cluster = config.cluster();
        assertThat(cluster.ciNodeLabels()).containsEntry("snapci/tier", "ci").containsEntry("zone", "b");
        assertThat(cluster.requiredAttributes()).containsExactly("tier:ci", "rack:r2");
        assertThat(cluster.cassandraCpus()).isEqualTo(1.5);
        assertThat(cluster.maxAttempts()).isEqualTo(4);
        assertThat(cluster.schedules()).containsExactly("nightly;cassandra-prod;cron 0 3 * * *;7;");
        assertThat(cluster.baseCopies()).containsExactly("orders;cassandra-orders;every 6h;2");
        assertThat(cluster.portworxVolumeApi()).isEqualTo("http://10.0.0.5:9001");
        assertThat(config.defaultTimeouts().tests()).isEqualTo(java.time.Duration.ofMinutes(30));
        assertThat(config.toString()).doesNotContain("SECRET-KEY", "PX-SECRET");
        assertThatThrownBy(() -> ServeConfigLoader.load(null, Map.of("SNAPCI_MODE", "mesos",
                "SNAPCI_MESOS_MASTER", "http://m:5050", "SNAPCI_ZK_URL", "zk://z:2181/s",
                "SNAPCI_MESOS_EXECUTOR_URI", "http://x", "SNAPCI_PORTWORX_ENDPOINT", "http://p:9021",
                "SNAPCI_PORTWORX_TOKEN", "PX-SECRET", "SNAPCI_CASSANDRA_MEM", "lots"), Map.of()))
                .hasMessageContaining("cassandra.mem").hasMessageContaining("SNAPCI_CASSANDRA_MEM")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("PX-SECRET"));
    }

    @Test
    void thePackagesEmptyVolumeApiLeavesTheGroupSnapshotAtTheSdkEndpoint() {
        // The package renders SNAPCI_PORTWORX_VOLUME_API="" when portworx.volume_api is not given; that must read
        // as unset, not as a URL to ask.
        ServeConfig config = ServeConfigLoader.load(null, Map.of("SNAPCI_MODE", "mesos",
                "SNAPCI_MESOS_MASTER", "http://m:5050", "SNAPCI_ZK_URL", "zk://z:2181/s",
                "SNAPCI_MESOS_EXECUTOR_URI", "http://x", "SNAPCI_PORTWORX_ENDPOINT", "http://p:9021",
                "SNAPCI_PORTWORX_VOLUME_API", ""), Map.of());
        assertThat(config.cluster().portworxVolumeApi()).isNull();
    }

    @Test
    void retentionKeepsThirtyDaysAndTenThousandRunsUnlessToldOtherwise() {
        RetentionConfig defaults = ServeConfigLoader.load(null, Map.of(), Map.of()).retention();
        assertThat(defaults).isEqualTo(new RetentionConfig(Duration.ofDays(30), 10_000, Duration.ofMinutes(10)));

        RetentionConfig set = ServeConfigLoader.load(null, Map.of("SNAPCI_RUNS_RETENTION_MAX_COUNT", "500"),
                Map.of("runs.retention.maxAge", "P7D", "runs.retention.interval", "90s")).retention();
        assertThat(set).isEqualTo(new RetentionConfig(Duration.ofDays(7), 500, Duration.ofSeconds(90)));
        assertThat(ServeConfigLoader.load(null, Map.of(), Map.of("runs.retention.maxAge", "36h")).retention()
                .maxAge()).isEqualTo(Duration.ofHours(36));
    }

    @Test
    void aRetentionThatWouldFillZooKeeperOrDeleteRunsAsTheyEndIsRefused() {
        assertThatThrownBy(() -> ServeConfigLoader.load(null, Map.of(), Map.of("runs.retention.maxCount", "50000")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("runs.retention.maxCount").hasMessageContaining("between 1 and 30000");
        assertThatThrownBy(() -> ServeConfigLoader.load(null, Map.of(), Map.of("runs.retention.maxCount", "0")))
                .hasMessageContaining("between 1 and 30000");
        assertThatThrownBy(() -> ServeConfigLoader.load(null, Map.of(), Map.of("runs.retention.maxAge", "10s")))
                .hasMessageContaining("runs.retention.maxAge").hasMessageContaining("at least 1m");
        assertThatThrownBy(() -> ServeConfigLoader.load(null, Map.of("SNAPCI_RUNS_RETENTION_MAX_AGE", "a month"),
                Map.of())).hasMessageContaining("SNAPCI_RUNS_RETENTION_MAX_AGE").hasMessageContaining("30d");
    }
}
