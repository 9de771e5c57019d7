package io.snapci.scheduler.mesos.offer;

import io.snapci.scheduler.core.launch.DeclineReasons;

import io.snapci.scheduler.mesos.launch.MesosLaunchConfig;
import io.snapci.scheduler.mesos.launch.OfferMatcher;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.OfferID;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static io.snapci.scheduler.mesos.offer.TestOffers.ROLE;
import static io.snapci.scheduler.mesos.offer.TestOffers.ciAgent;
import static io.snapci.scheduler.mesos.offer.TestOffers.offer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OfferEvaluatorTest {

    private static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final MesosLaunchConfig LAUNCH = io.snapci.scheduler.mesos.TestLaunch.config("http://x/executor.tgz");

    /** Sandbox disk is left out here (offers in these tests carry none); the resources stage's tests cover it. */
    private static OfferEvaluator evaluator(List<List<String>> constraints, int maxRunsPerOffer) {
        return new OfferEvaluator(OfferEvaluatorConfig.forLaunch(LAUNCH, List.of("tier:ci"), constraints,
                Duration.ofHours(2)).withMaxRunsPerOffer(maxRunsPerOffer).withDiskMb(0), new DeclineReasons(50),
                CLOCK);
    }

    private static List<String> runIds(OfferMatcher.Matches m) {
        return m.matches().stream().map(OfferMatcher.Match::runId).toList();
    }

    private static List<String> offerIds(OfferMatcher.Matches m) {
        return m.matches().stream().map(x -> x.offer().getId().getValue()).toList();
    }

    private static List<String> reasons(OfferMatcher.Matches m) {
        return m.declined().stream().map(OfferMatcher.Declined::reason).toList();
    }

    @Test
    void runsTakeTheFirstOfferThatFitsInOrderAndTheOthersAreDeclinedWithTheirReason() {
        OfferEvaluator evaluator = evaluator(List.of(), 1);
        List<Offer> offers = List.of(
                ciAgent("o1", "a1", "host-1", 8, 1024, 31000, 31100).build(),
                offer("o2", "a2", "host-2").scalar("cpus", 8, ROLE).scalar("mem", 8192, ROLE).ports(ROLE, 31000, 31100)
                        .text("tier", "hdd").build(),
                ciAgent("o3", "a3", "host-3", 8, 8192, 31000, 31100).build(),
                ciAgent("o4", "a4", "host-4", 8, 8192, 32000, 32100).build(),
                ciAgent("o5", "a5", "host-5", 8, 8192, 31000, 31100).build());

        OfferMatcher.Matches m = evaluator.match(List.of("r1", "r2"), offers);

        assertThat(runIds(m)).containsExactly("r1", "r2");
        assertThat(offerIds(m)).containsExactly("o3", "o4");
        assertThat(m.matches().get(1).ports()).isEqualTo(new io.snapci.scheduler.mesos.launch.RunPorts(32000, 32001,
                32002));
        assertThat(m.declined()).extracting(d -> d.offerId().getValue()).containsExactly("o1", "o2", "o5");
        assertThat(reasons(m)).containsExactly(
                "agent a1 (host-1): not enough mem: 1024 MB offered to role snapci, 3104 MB needed",
                "agent a2 (host-2): attribute tier is hdd, needs ci",
                "agent a5 (host-5): no run waiting");
    }

    @Test
    void severalRunsGoOnOneOfferWhileItHasRoomPortsIncluded() {
        OfferEvaluator evaluator = evaluator(List.of(), 4);
        Offer big = offer("o1", "a1", "host-1").scalar("cpus", 8, ROLE).scalar("mem", 32768, ROLE)
                .ports(ROLE, 31000, 31002, 31010, 31010, 31020, 31030).text("tier", "ci").build();

        OfferMatcher.Matches m = evaluator.match(List.of("r1", "r2", "r3", "r4"), List.of(big));

        // 8 cpus hold three runs of 2.1 (Cassandra 1 + tests 1 + executor 0.1)
        assertThat(runIds(m)).containsExactly("r1", "r2", "r3");
        assertThat(m.matches()).extracting(OfferMatcher.Match::ports).containsExactly(
                new io.snapci.scheduler.mesos.launch.RunPorts(31000, 31001, 31002),
                new io.snapci.scheduler.mesos.launch.RunPorts(31010, 31020, 31021),
                new io.snapci.scheduler.mesos.launch.RunPorts(31022, 31023, 31024));
        assertThat(m.declined()).isEmpty();
    }

    @Test
    void uniqueHostnameHoldsAcrossTwoOffersOfTheSameHostAndFreesTheHostOnRelease() {
        OfferEvaluator evaluator = evaluator(List.of(List.of("hostname", "UNIQUE")), 4);
        List<Offer> sameHost = List.of(ciAgent("o1", "a1", "host-1", 8, 16384, 31000, 31100).build(),
                ciAgent("o2", "a1", "host-1", 8, 16384, 32000, 32100).build());

        OfferMatcher.Matches first = evaluator.match(List.of("r1", "r2"), sameHost);

        assertThat(runIds(first)).containsExactly("r1");
        assertThat(reasons(first)).containsExactly(
                "agent a1 (host-1): constraint [hostname, UNIQUE] not met: 1 run is already on hostname host-1");
        assertThat(evaluator.placements()).extracting(PlacedRuns.Placement::hostname).containsExactly("host-1");

        OfferMatcher.Matches whileR1Runs = evaluator.match(List.of("r2"),
                List.of(ciAgent("o3", "a1", "host-1", 8, 16384, 31000, 31100).build()));
        assertThat(whileR1Runs.matches()).isEmpty();

        evaluator.released("r1");
        OfferMatcher.Matches afterRelease = evaluator.match(List.of("r2"),
                List.of(ciAgent("o4", "a1", "host-1", 8, 16384, 31000, 31100).build()));
        assertThat(runIds(afterRelease)).containsExactly("r2");
    }

    @Test
    void maxPerHostnameCapsTheRunsPerHost() {
        OfferEvaluator evaluator = evaluator(List.of(List.of("hostname", "MAX_PER", "2")), 10);
        List<Offer> offers = List.of(ciAgent("o1", "a1", "host-1", 32, 65536, 31000, 31100).build(),
                ciAgent("o2", "a2", "host-2", 32, 65536, 31000, 31100).build());

        OfferMatcher.Matches m = evaluator.match(List.of("r1", "r2", "r3", "r4", "r5"), offers);

        assertThat(runIds(m)).containsExactly("r1", "r2", "r3", "r4");
        assertThat(offerIds(m)).containsExactly("o1", "o1", "o2", "o2");
        assertThat(m.declined()).isEmpty();
    }

    @Test
    void likeOnHostnameIsAFullMatch() {
        OfferEvaluator evaluator = evaluator(List.of(List.of("hostname", "LIKE", "ci-[0-9]+")), 1);
        List<Offer> offers = List.of(ciAgent("o1", "a1", "ci-12.example", 8, 8192, 31000, 31100).build(),
                ciAgent("o2", "a2", "ci-12", 8, 8192, 31000, 31100).build());

        OfferMatcher.Matches m = evaluator.match(List.of("r1"), offers);

        assertThat(offerIds(m)).containsExactly("o2");
        assertThat(reasons(m)).containsExactly("agent a1 (ci-12.example): constraint [hostname, LIKE, ci-[0-9]+] "
                + "not met: hostname is ci-12.example, which does not match ci-[0-9]+");
    }

    @Test
    void unlikeRefusesAMatchingRackAndAcceptsAgentsWithoutTheAttribute() {
        OfferEvaluator evaluator = evaluator(List.of(List.of("rack", "UNLIKE", "r-bad")), 1);
        List<Offer> offers = List.of(ciAgent("o1", "a1", "h1", 8, 8192, 31000, 31100).text("rack", "r-bad").build(),
                ciAgent("o2", "a2", "h2", 8, 8192, 31000, 31100).text("rack", "r-bad2").build(),
                ciAgent("o3", "a3", "h3", 8, 8192, 31000, 31100).build());

        OfferMatcher.Matches m = evaluator.match(List.of("r1", "r2"), offers);

        assertThat(offerIds(m)).containsExactly("o2", "o3");
    }

    @Test
    void offersWithoutOurRoleOrGoingIntoMaintenanceAreDeclined() {
        OfferEvaluator evaluator = evaluator(List.of(), 1);
        List<Offer> offers = List.of(
                offer("o1", "a1", "h1").scalar("cpus", 8, "analytics").scalar("mem", 8192, "analytics")
                        .ports("analytics", 31000, 31100).text("tier", "ci").build(),
                ciAgent("o2", "a2", "h2", 8, 8192, 31000, 31100)
                        .unavailable(NOW.plus(Duration.ofMinutes(30)), Duration.ofHours(4)).build());

        OfferMatcher.Matches m = evaluator.match(List.of("r1"), offers);

        assertThat(m.matches()).isEmpty();
        assertThat(reasons(m)).containsExactly(
                "agent a1 (h1): nothing offered to role snapci (resources allocated to role analytics)",
                "agent a2 (h2): agent goes into maintenance at 2026-11-25T10:30:00Z (in 30 min) until "
                        + "2026-11-25T14:30:00Z; runs are kept 2 h away from maintenance");
    }

    @Test
    void everyDeclineIsRecordedWithItsKind() {
        OfferEvaluator evaluator = evaluator(List.of(), 1);
        evaluator.match(List.of("r1"), List.of(
                ciAgent("o1", "a1", "h1", 8, 1024, 31000, 31100).build(),
                ciAgent("o2", "a2", "h2", 8, 8192, 31000, 31100).build(),
                ciAgent("o3", "a3", "h3", 8, 8192, 31000, 31100).build()));

        DeclineReasons.Snapshot snapshot = evaluator.declineReasons().snapshot();

        assertThat(snapshot.countsByKind()).containsOnly(java.util.Map.entry("mem", 1L),
                java.util.Map.entry("no-run-waiting", 1L));
        assertThat(snapshot.recent()).extracting(DeclineReasons.Entry::offerId).containsExactly("o1", "o3");
        DeclineReasons.Entry first = snapshot.recent().get(0);
        assertThat(first.time()).isEqualTo(NOW);
        assertThat(first.agentId()).isEqualTo("a1");
        assertThat(first.hostname()).isEqualTo("h1");
        assertThat(first.stage()).isEqualTo("resources");
    }

    @Test
    void aWaitingRunIsNotCountedWhereItWasBefore() {
        // A retry whose release was missed: the run waits again, so it runs nowhere.
        OfferEvaluator evaluator = evaluator(List.of(List.of("hostname", "UNIQUE")), 1);
        evaluator.match(List.of("r1"), List.of(ciAgent("o1", "a1", "h1", 8, 8192, 31000, 31100).build()));

        OfferMatcher.Matches retry = evaluator.match(List.of("r1"),
                List.of(ciAgent("o2", "a1", "h1", 8, 8192, 31000, 31100).build()));

        assertThat(runIds(retry)).containsExactly("r1");
    }

    @Test
    void theConfigRefusesInvalidConstraintsAndAttributes() {
        assertThatThrownBy(() -> OfferEvaluatorConfig.forLaunch(LAUNCH, List.of("tier:ci"),
                List.of(List.of("hostname", "MAX_PER")), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("MAX_PER needs");
        assertThatThrownBy(() -> OfferEvaluatorConfig.forLaunch(LAUNCH, List.of("tier"), List.of(), Duration.ZERO))
                .hasMessage("A required agent attribute is name:value, e.g. tier:ci (got 'tier')");
        OfferEvaluatorConfig config = OfferEvaluatorConfig.forLaunch(LAUNCH, List.of("tier:ci"), List.of(),
                Duration.ofHours(1));
        assertThat(config.requiredAttributes()).containsExactly(java.util.Map.entry("tier", "ci"));
        assertThat(config.maxRunsPerOffer()).isEqualTo(1);
        assertThat(config.diskMbPerRun()).isEqualTo(LAUNCH.executorDiskMb());   // the task group's sandbox disk
    }

    @Test
    void declinedOffersKeepTheirIds() {
        OfferEvaluator evaluator = evaluator(List.of(), 1);
        OfferMatcher.Matches m = evaluator.match(List.of("r1"),
                List.of(ciAgent("o1", "a1", "h1", 1, 1024, 31000, 31100).build()));

        assertThat(m.declined()).extracting(OfferMatcher.Declined::offerId)
                .containsExactly(OfferID.newBuilder().setValue("o1").build());
    }
}
