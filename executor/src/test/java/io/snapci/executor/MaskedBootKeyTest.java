package io.snapci.executor;

import io.snapci.model.tasks.NodeTask;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Where a cluster run's node gets the service's masking key from, and what it refuses to mask without. */
class MaskedBootKeyTest {

    private static final String KEY = "0123456789abcdef-the-service-key";

    @TempDir
    Path sandbox;

    @Test
    void withoutTheServicesSecretTheRunDrawsItsOwnKey() throws Exception {
        assertThat(MaskedBoot.takeKey(sandbox, Map.of())).isNull();
    }

    @Test
    void theSecretVolumesKeyIsReadAndItsFileRemovedWhereItCanBe() throws Exception {
        Files.writeString(sandbox.resolve(NodeTask.MASK_KEY_FILE), KEY + "\n");

        assertThat(MaskedBoot.takeKey(sandbox, Map.of(NodeTask.MASK_KEY_SECRET, "snapci/mask-key"))).isEqualTo(KEY);
        assertThat(sandbox.resolve(NodeTask.MASK_KEY_FILE)).doesNotExist();
    }

    @Test
    void aSecretTheAgentDidNotPutThereIsRefusedNotReplacedByARandomKey() {
        assertThatThrownBy(() -> MaskedBoot.takeKey(sandbox, Map.of(NodeTask.MASK_KEY_SECRET, "snapci/mask-key")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("secret 'snapci/mask-key'")
                .hasMessageContaining("volume/secret isolator");
    }

    @Test
    void anEmptyOrShortKeyIsRefused() throws Exception {
        Path file = sandbox.resolve(NodeTask.MASK_KEY_FILE);
        Files.writeString(file, "");
        assertThatThrownBy(() -> MaskedBoot.takeKey(sandbox, Map.of(NodeTask.MASK_KEY_SECRET, "snapci/mask-key")))
                .hasMessageContaining("is empty").hasMessageContaining("at least 16");
        Files.writeString(file, "short");
        assertThatThrownBy(() -> MaskedBoot.takeKey(sandbox, Map.of(NodeTask.MASK_KEY_SECRET, "snapci/mask-key")))
                .hasMessageContaining("fewer than 16 bytes").satisfies(e -> assertThat(e.getMessage())
                        .doesNotContain("short"));
    }
}
