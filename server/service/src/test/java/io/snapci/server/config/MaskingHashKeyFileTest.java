package io.snapci.server.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** masking.hashKeyFile: read once at startup, refused with what to do when missing, empty or too short. */
class MaskingHashKeyFileTest {

    @TempDir
    Path dir;

    private ServeConfig load(Path keyFile) {
        return ServeConfigLoader.load(null, Map.of(), Map.of("local.workRoot", dir.resolve("work").toString(),
                "masking.hashKeyFile", keyFile.toString()));
    }

    @Test
    void theFilesKeyIsThePolicysAndNeverPrinted() throws Exception {
        Path file = Files.writeString(dir.resolve("hash.key"), "s3cr3t-0123456789abcdef\n");
        MaskingPolicy masking = load(file).masking();
        assertThat(masking.hashKey()).isEqualTo("s3cr3t-0123456789abcdef");
        assertThat(masking.toString()).doesNotContain("s3cr3t").contains("masking.hashKeyFile");
    }

    @Test
    void withoutTheSettingEachRunDrawsItsOwnKey() {
        ServeConfig config = ServeConfigLoader.load(null, Map.of(), Map.of("local.workRoot",
                dir.resolve("work").toString()));
        assertThat(config.masking().hashKey()).isNull();
    }

    @Test
    void aMissingFileIsRefusedNamingTheSettingAndTheFile() {
        Path missing = dir.resolve("nope.key");
        assertThatThrownBy(() -> load(missing)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("masking.hashKeyFile").hasMessageContaining(missing.toString())
                .hasMessageContaining("/dev/urandom");
    }

    @Test
    void anEmptyOrShortKeyIsRefused() throws Exception {
        Path empty = Files.writeString(dir.resolve("empty.key"), "  \n");
        assertThatThrownBy(() -> load(empty)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("masking.hashKeyFile").hasMessageContaining("is empty");
        Path shortKey = Files.writeString(dir.resolve("short.key"), "abc");
        assertThatThrownBy(() -> load(shortKey)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("fewer than 16 bytes");
    }

    @Test
    void aClusterServeRefusesTheSettingRatherThanIgnoreIt() throws Exception {
        Path file = Files.writeString(dir.resolve("hash.key"), "s3cr3t-0123456789abcdef\n");
        assertThatThrownBy(() -> ServeConfigLoader.load(null, Map.of("SNAPCI_MODE", "mesos",
                "SNAPCI_MESOS_MASTER", "http://m:5050", "SNAPCI_ZK_URL", "zk://z:2181/s",
                "SNAPCI_MESOS_EXECUTOR_URI", "http://x", "SNAPCI_PORTWORX_ENDPOINT", "http://p:9021"),
                Map.of("masking.hashKeyFile", file.toString()))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("masking.hashKeyFile").hasMessageContaining("local mode")
                .hasMessageNotContaining("s3cr3t").hasMessageContaining("masking.hashKeySecret");
    }

    @Test
    void aClusterServeNamesTheSecretItsNodesTakeTheKeyFromAndALocalServeRefusesIt() throws Exception {
        Map<String, String> mesos = Map.of("SNAPCI_MODE", "mesos", "SNAPCI_MESOS_MASTER", "http://m:5050",
                "SNAPCI_ZK_URL", "zk://z:2181/s", "SNAPCI_MESOS_EXECUTOR_URI", "http://x",
                "SNAPCI_PORTWORX_ENDPOINT", "http://p:9021", "SNAPCI_MASKING_HASH_KEY_SECRET", "snapci/mask-key");
        assertThat(ServeConfigLoader.load(null, mesos, Map.of()).cluster().maskingHashKeySecret())
                .isEqualTo("snapci/mask-key");
        assertThat(ServeConfigLoader.load(null, Map.of("SNAPCI_MODE", "mesos", "SNAPCI_MESOS_MASTER", "http://m:5050",
                "SNAPCI_ZK_URL", "zk://z:2181/s", "SNAPCI_MESOS_EXECUTOR_URI", "http://x",
                "SNAPCI_PORTWORX_ENDPOINT", "http://p:9021"), Map.of()).cluster().maskingHashKeySecret())
                .as("unset: a random key per run").isNull();

        assertThatThrownBy(() -> ServeConfigLoader.load(null, Map.of(), Map.of("masking.hashKeySecret",
                "snapci/mask-key"))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("masking.hashKeySecret").hasMessageContaining("mesos mode")
                .hasMessageContaining("masking.hashKeyFile");
    }
}
