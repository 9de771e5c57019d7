package io.snapci.server.config;

import io.snapci.server.wiring.ModeModules;
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
    void mesosModeRefusesToStartUntilThePortworxDriverExists() {
        ServeConfig mesos = ServeConfigLoader.load(null, Map.of(), Map.of("mode", "mesos",
                "mesos.master", "http://leader.mesos:5050"));
        assertThatThrownBy(() -> ModeModules.forConfig(mesos)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("Portworx").hasMessageContaining("mode=local").hasMessageContaining("zk.url");
    }
}
