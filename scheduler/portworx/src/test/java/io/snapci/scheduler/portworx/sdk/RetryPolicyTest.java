package io.snapci.scheduler.portworx.sdk;

import io.snapci.model.Json;
import io.snapci.model.Source;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RetryPolicyTest {

    @Test
    void delaysDoubleUpToTheCapWithJitter() {
        RetryPolicy policy = new RetryPolicy(6, Duration.ofMillis(100), Duration.ofMillis(1000));
        assertThat(policy.delayBefore(1, 0.5)).isEqualTo(Duration.ofMillis(100));
        assertThat(policy.delayBefore(3, 0.5)).isEqualTo(Duration.ofMillis(400));
        assertThat(policy.delayBefore(10, 0.5)).isEqualTo(Duration.ofMillis(1000));
        assertThat(policy.delayBefore(40, 0.0)).isEqualTo(Duration.ofMillis(800));
        assertThat(policy.delayBefore(40, 0.999)).isLessThanOrEqualTo(Duration.ofMillis(1200));
    }

    @Test
    void grpcCodesMapToTheGatewaysHttpStatusesAndBack() {
        assertThat(GrpcCode.RESOURCE_EXHAUSTED.httpStatus()).isEqualTo(429);
        assertThat(GrpcCode.DEADLINE_EXCEEDED.httpStatus()).isEqualTo(504);
        assertThat(GrpcCode.fromHttpStatus(503)).isEqualTo(GrpcCode.UNAVAILABLE);
        assertThat(GrpcCode.of(7)).isEqualTo(GrpcCode.PERMISSION_DENIED);
        assertThat(GrpcCode.of(99)).isEqualTo(GrpcCode.UNKNOWN);
    }

    @Test
    void badEndpointsAreRefusedWithTheExpectedForm() {
        assertThatThrownBy(() -> SdkConfig.of(URI.create("portworx:9021"))).hasMessageContaining("https://");
        assertThatThrownBy(() -> SdkConfig.of(URI.create("http://px:9021")).withCaCertificate(java.nio.file.Path.of("ca")))
                .hasMessageContaining("plain http");
    }

    @Test
    void aSourceWithoutMaxAgeStillReadsAndOneWithItRoundTrips() throws Exception {
        assertThat(Json.mapper().readValue("{\"dataDir\":null,\"volume\":\"prod\"}", Source.class))
                .isEqualTo(Source.volume("prod"));
        Source young = Source.volume("prod", Duration.ofMinutes(30));
        assertThat(Json.mapper().readValue(Json.mapper().writeValueAsString(young), Source.class)).isEqualTo(young);
        assertThatThrownBy(() -> new Source("/var/lib/cassandra", null, Duration.ofMinutes(1)))
                .hasMessageContaining("volumes only");
    }
}
