package io.snapci.server.config;

import io.snapci.model.Source;
import io.snapci.model.mask.MaskRules;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

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
}
