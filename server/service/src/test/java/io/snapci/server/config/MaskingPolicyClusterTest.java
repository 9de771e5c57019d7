package io.snapci.server.config;

import io.snapci.model.RunSpec;
import io.snapci.model.Source;
import io.snapci.scheduler.core.storage.StorageException;
import io.snapci.model.mask.MaskRules;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A cluster source requires what any of its nodes requires (a cluster source once failed the lookup: a 500). */
class MaskingPolicyClusterTest {

    private final MaskingPolicy policy = new MaskingPolicy(Map.of("pii", MaskRules.parse("shop.orders.customer: hash")),
            Map.of("shop-2", "pii", "/prod/n3", "pii"));

    @Test
    void anyNodeOfAClusterSourceBringsItsRequirement() {
        assertThat(policy.requiredFor(Source.volumes(List.of("shop-1", "shop-2")))).isEqualTo("pii");
        assertThat(policy.requiredFor(Source.dataDirs(List.of("/prod/n1", "/prod/n3")))).isEqualTo("pii");
        assertThat(policy.requiredFor(Source.volumes(List.of("shop-1", "shop-4")))).isNull();
        assertThat(policy.requiredFor(Source.volumesSelector("app=shop"))).isNull();
        assertThat(policy.requiredFor(Source.volume("shop-2"))).isEqualTo("pii");
    }

    @Test
    void aSelectorIsCheckedAgainstTheVolumesItResolvesToBeforeTheyAreCopied() throws Exception {
        RunSpec plain = new RunSpec(Source.volumesSelector("app=shop"), "mvn test", null, null, Map.of(),
                null, null, null, Map.of());
        assertThat(policy.requiredFor(plain.source())).as("the selector's text requires nothing").isNull();

        assertThatThrownBy(() -> policy.gateFor(plain).admit(List.of("shop-1", "shop-2", "shop-3")))
                .isInstanceOf(StorageException.class)
                .satisfies(e -> assertThat(((StorageException) e).kind()).isEqualTo(StorageException.Kind.REFUSED))
                .hasMessageContaining("shop-2").hasMessageContaining("'pii'")
                .hasMessageContaining("shop.orders.customer: hash").hasMessageContaining("\"ruleSet\": \"pii\"");

        policy.gateFor(plain).admit(List.of("shop-1", "shop-3"));
        policy.gateFor(plain.withMask(MaskRules.parse("shop.orders.customer: hash"))).admit(List.of("shop-1", "shop-2"));
    }

    @Test
    void aRequirementOfEverySourceCoversWhateverASelectorResolvesTo() {
        MaskingPolicy everything = new MaskingPolicy(Map.of("pii", MaskRules.parse("shop.orders.customer: hash")),
                Map.of("*", "pii"));
        RunSpec plain = new RunSpec(Source.volumesSelector("app=shop"), "mvn test", null, null, Map.of(),
                null, null, null, Map.of());

        assertThatThrownBy(() -> everything.gateFor(plain).admit(List.of("anything")))
                .isInstanceOf(StorageException.class).hasMessageContaining("anything");
    }
}
