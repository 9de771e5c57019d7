package io.snapci.server.config;

import io.snapci.model.mask.MaskRules;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * masking.ruleSets: the rule sets written in one value (as the Universe package renders them into the Marathon
 * app's environment), next to masking.rulesDir's files, and what masking.required may then name.
 */
class MaskingRuleSetsConfigTest {

    @TempDir
    Path dir;

    private ServeConfig load(Map<String, String> env) {
        return ServeConfigLoader.load(null, env, Map.of("local.workRoot", dir.resolve("work").toString()));
    }

    @Test
    void inlineSetsFromTheEnvironmentAreKnownByNameAndCanBeRequired() {
        MaskingPolicy policy = load(Map.of(
                "SNAPCI_MASKING_RULE_SETS", "# from the package\n[pii]\nshop.users.email: email\n"
                        + "shop.users.phone: phone\n[crm]\ndelete crm.customers where name = 'Test'\n",
                "SNAPCI_MASKING_REQUIRED", "cassandra-shop=pii")).masking();

        assertThat(policy.ruleSets()).containsOnlyKeys("pii", "crm");
        assertThat(policy.ruleSets().get("pii"))
                .isEqualTo(MaskRules.parse("shop.users.email: email\nshop.users.phone: phone"));
        assertThat(policy.ruleSets().get("crm").filters()).hasSize(1);
        assertThat(policy.requiredFor(io.snapci.model.Source.volume("cassandra-shop"))).isEqualTo("pii");
    }

    @Test
    void aSetInBothPlacesARuleBeforeAnyHeaderAndABadRuleAreRefusedNamingTheSet() throws Exception {
        Path rulesDir = Files.createDirectories(dir.resolve("rules"));
        Files.writeString(rulesDir.resolve("pii.rules"), "shop.users.email: hash\n");

        assertThatThrownBy(() -> load(Map.of("SNAPCI_MASKING_RULES_DIR", rulesDir.toString(),
                "SNAPCI_MASKING_RULE_SETS", "[pii]\nshop.users.email: email\n")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("masking.ruleSets")
                .hasMessageContaining("[pii] is also pii.rules in masking.rulesDir");
        assertThatThrownBy(() -> load(Map.of("SNAPCI_MASKING_RULE_SETS", "shop.users.email: email\n[pii]\n")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("line 1: a rule before the first [NAME]");
        assertThatThrownBy(() -> load(Map.of("SNAPCI_MASKING_RULE_SETS", "[pii]\nshop.users.email: scramble\n")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("[pii]: masking rules, line 1");
        assertThatThrownBy(() -> load(Map.of("SNAPCI_MASKING_RULE_SETS", "[../pii]\nshop.users.email: email\n")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("is not a rule set's name");
    }
}
