package io.snapci.scheduler.mesos.offer;

import io.snapci.scheduler.mesos.launch.MesosLaunchConfig;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.Resource;
import org.apache.mesos.v1.Protos.Value;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import static io.snapci.scheduler.mesos.offer.TestOffers.ROLE;
import static io.snapci.scheduler.mesos.offer.TestOffers.candidate;
import static io.snapci.scheduler.mesos.offer.TestOffers.offer;
import static org.assertj.core.api.Assertions.assertThat;

class OfferResourcesStageTest {

    /**
     * 2.1 cpus, 3104 MB: snapci's default task group (Cassandra 1 + 2048, tests 1 + 1024, executor 0.1 + 32); its
     * 64 MB of executor sandbox disk is left out here and checked on its own below.
     */
    private final OfferEvaluatorConfig config = OfferEvaluatorConfig.forLaunch(
            io.snapci.scheduler.mesos.TestLaunch.config("http://x/executor.tgz"), List.of(), List.of(), Duration.ofHours(2))
            .withDiskMb(0);

    /** What the stage says about {@code offer} when nothing is placed on it yet. */
    private static Optional<OfferStage.Rejection> check(OfferEvaluatorConfig config, Offer offer) {
        return new ResourcesStage(config).check(candidate(offer), new PlacedRuns());
    }

    /** An offer of agent a1 to our role: {@code cpus}, {@code memMb} and the ports 31000 to {@code lastPort}. */
    private static TestOffers offered(double cpus, double memMb, int lastPort) {
        return offer("o1", "a1", "host-3").scalar("cpus", cpus, ROLE).scalar("mem", memMb, ROLE)
                .ports(ROLE, 31000, lastPort);
    }

    private String reason(OfferEvaluatorConfig config, Offer offer) {
        return check(config, offer).orElseThrow().reason();
    }

    @Test
    void theRunsNeedsComeFromTheLaunchConfig() {
        assertThat(config.cpusPerRun()).isEqualTo(2.1);
        assertThat(config.memMbPerRun()).isEqualTo(3104);
        assertThat(config.role()).isEqualTo("snapci");
    }

    /** Offers short of what a run needs: the case, the offer, the kind the rejection names, its whole reason. */
    static Stream<Arguments> shortOffers() {
        return Stream.of(
                Arguments.of("not enough memory says how much was offered and needed", offered(8, 1024, 31100).build(),
                        "mem", "not enough mem: 1024 MB offered to role snapci, 3104 MB needed"),
                Arguments.of("every missing resource is listed and the first names the kind",
                        offered(0.5, 512, 31000).build(), "cpus",
                        "not enough cpus: 0.5 offered to role snapci, 2.1 needed; "
                                + "not enough mem: 512 MB offered to role snapci, 3104 MB needed; "
                                + "not enough ports: 1 offered to role snapci, 3 needed"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shortOffers")
    void aShortOfferIsRejectedSayingWhatWasOfferedAndNeeded(String name, Offer offer, String kind, String reason) {
        OfferStage.Rejection rejection = check(config, offer).orElseThrow();

        assertThat(rejection.kind()).isEqualTo(kind);
        assertThat(rejection.reason()).isEqualTo(reason);
    }

    @Test
    void diskIsCheckedOnlyWhenAskedForAndOnlyTheScratchDiskCounts() {
        Offer withVolume = offered(8, 8192, 31100).scalar("disk", 1000, ROLE)
                .resource(TestOffers.allocated(Resource.newBuilder().setName("disk").setType(Value.Type.SCALAR)
                        .setScalar(Value.Scalar.newBuilder().setValue(50000))
                        .setDisk(Resource.DiskInfo.newBuilder().setSource(Resource.DiskInfo.Source.newBuilder()
                                .setType(Resource.DiskInfo.Source.Type.MOUNT))), ROLE))
                .build();

        assertThat(check(config, withVolume)).isEmpty();
        assertThat(reason(config.withDiskMb(2048), withVolume))
                .isEqualTo("not enough disk: 1000 MB offered to role snapci, 2048 MB needed");
    }

    @Test
    void fractionalCpusAreComparedInMesosFixedPoint() {
        // 0.1 + 0.2 is 0.30000000000000004 in double; Mesos keeps three decimals, and so do we.
        assertThat(Scalars.toMillis(0.1 + 0.2)).isEqualTo(Scalars.toMillis(0.3));
        Offer exact = offered(2.1, 3104, 31002).build();

        assertThat(check(config, exact)).isEmpty();
    }

    @Test
    void whatEarlierRunsTookIsSubtractedAndTheOfferHasAMaximumOfRuns() {
        Offer big = offered(5, 65536, 31100).build();
        ResourcesStage stage = new ResourcesStage(config.withMaxRunsPerOffer(5));
        CandidateOffer candidate = candidate(big);

        stage.take(candidate);
        stage.take(candidate);

        assertThat(stage.check(candidate, new PlacedRuns())).get().extracting(OfferStage.Rejection::reason)
                .isEqualTo("not enough cpus: 0.8 left for role snapci after 2 run(s) on this offer, 2.1 needed");
        ResourcesStage onePerOffer = new ResourcesStage(config);
        assertThat(onePerOffer.check(candidate, new PlacedRuns())).get().extracting(OfferStage.Rejection::reason)
                .isEqualTo("already 2 runs on this offer (at most 1)");
    }

    @Test
    void portsArePickedLowestFirstAcrossSeveralRangesAndResources() {
        Offer scattered = offer("o1", "a1", "host-3").scalar("cpus", 64, ROLE).scalar("mem", 65536, ROLE)
                .ports(ROLE, 31005, 31006, 31000, 31000)
                .ports(ROLE, 32000, 32010).build();
        ResourcesStage stage = new ResourcesStage(config.withMaxRunsPerOffer(10));
        CandidateOffer candidate = candidate(scattered);

        assertThat(candidate.freePorts()).isEqualTo(14);
        assertThat(stage.take(candidate)).containsExactly(31000, 31005, 31006);
        assertThat(stage.take(candidate)).containsExactly(32000, 32001, 32002);
        assertThat(stage.take(candidate)).containsExactly(32003, 32004, 32005);
        assertThat(candidate.freePorts()).isEqualTo(5);
    }
}
