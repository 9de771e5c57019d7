package io.snapci.scheduler.mesos.offer;

import org.apache.mesos.v1.Protos.Attribute;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.Value;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.snapci.scheduler.mesos.offer.TestOffers.candidate;
import static io.snapci.scheduler.mesos.offer.TestOffers.offer;
import static org.assertj.core.api.Assertions.assertThat;

class OfferAttributeStageTest {

    private static java.util.Optional<String> reason(Map<String, String> required, Offer offer) {
        return new AttributeStage(required).check(candidate(offer), new PlacedRuns()).map(OfferStage.Rejection::reason);
    }

    @Test
    void theStorageTierIsATextAttribute() {
        assertThat(reason(Map.of("tier", "ci"), offer("o1", "a1", "h").text("tier", "ci").build())).isEmpty();
        assertThat(reason(Map.of("tier", "ci"), offer("o1", "a1", "h").text("tier", "hdd").build()))
                .contains("attribute tier is hdd, needs ci");
        assertThat(reason(Map.of("tier", "ci"), offer("o1", "a1", "h").text("rack", "r1").build()))
                .contains("attribute tier is missing, needs ci");
    }

    @Test
    void scalarSetAndRangesAttributesMatchByMeaning() {
        Offer agent = offer("o1", "a1", "h")
                .attribute(Attribute.newBuilder().setName("cores").setType(Value.Type.SCALAR)
                        .setScalar(Value.Scalar.newBuilder().setValue(8.0)))
                .attribute(Attribute.newBuilder().setName("disks").setType(Value.Type.SET)
                        .setSet(Value.Set.newBuilder().addItem("ssd").addItem("nvme")))
                .attribute(Attribute.newBuilder().setName("slots").setType(Value.Type.RANGES)
                        .setRanges(Value.Ranges.newBuilder().addRange(Value.Range.newBuilder().setBegin(10).setEnd(20))))
                .build();

        assertThat(reason(Map.of("cores", "8"), agent)).isEmpty();
        assertThat(reason(Map.of("disks", "nvme"), agent)).isEmpty();
        assertThat(reason(Map.of("disks", "{nvme,ssd}"), agent)).isEmpty();
        assertThat(reason(Map.of("slots", "15"), agent)).isEmpty();
        assertThat(reason(Map.of("cores", "16"), agent)).contains("attribute cores is 8, needs 16");
        assertThat(reason(Map.of("disks", "hdd"), agent)).contains("attribute disks is {nvme,ssd}, needs hdd");
        assertThat(reason(Map.of("slots", "21"), agent)).contains("attribute slots is [10-20], needs 21");
    }
}
