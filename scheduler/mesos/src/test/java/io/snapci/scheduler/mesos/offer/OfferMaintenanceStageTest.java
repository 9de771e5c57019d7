package io.snapci.scheduler.mesos.offer;

import org.apache.mesos.v1.Protos.Offer;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;

import static io.snapci.scheduler.mesos.offer.TestOffers.candidate;
import static io.snapci.scheduler.mesos.offer.TestOffers.offer;
import static org.assertj.core.api.Assertions.assertThat;

class OfferMaintenanceStageTest {

    private static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");
    private final MaintenanceStage stage = new MaintenanceStage(Duration.ofHours(2), Clock.fixed(NOW, ZoneOffset.UTC));

    private Optional<String> reason(Offer offer) {
        return stage.check(candidate(offer), new PlacedRuns()).map(OfferStage.Rejection::reason);
    }

    @Test
    void aWindowStartingWithinTheHorizonIsRefused() {
        Offer soon = offer("o1", "a1", "host-3").unavailable(NOW.plus(Duration.ofMinutes(45)), Duration.ofHours(1)).build();

        assertThat(reason(soon)).contains("agent goes into maintenance at 2026-11-25T10:45:00Z (in 45 min) "
                + "until 2026-11-25T11:45:00Z; runs are kept 2 h away from maintenance");
    }

    @Test
    void aWindowUnderWayWithoutAnEndIsRefused() {
        Offer draining = offer("o1", "a1", "host-3").unavailable(NOW.minus(Duration.ofMinutes(10)), null).build();

        assertThat(reason(draining)).contains("agent goes into maintenance at 2026-11-25T09:50:00Z (since 10 min ago) "
                + "with no end given; runs are kept 2 h away from maintenance");
    }

    @Test
    void aWindowBeyondTheHorizonOrOverIsNoObstacle() {
        assertThat(reason(offer("o1", "a1", "h").unavailable(NOW.plus(Duration.ofHours(3)), null).build())).isEmpty();
        assertThat(reason(offer("o1", "a1", "h").unavailable(NOW.minus(Duration.ofHours(2)), Duration.ofHours(1))
                .build())).isEmpty();
        assertThat(reason(offer("o1", "a1", "h").build())).isEmpty();
    }
}
