package io.snapci.scheduler.mesos.offer;

import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.Resource;
import org.apache.mesos.v1.Protos.Value;
import org.junit.jupiter.api.Test;

import static io.snapci.scheduler.mesos.offer.TestOffers.ROLE;
import static io.snapci.scheduler.mesos.offer.TestOffers.candidate;
import static io.snapci.scheduler.mesos.offer.TestOffers.offer;
import static org.assertj.core.api.Assertions.assertThat;

class OfferRoleStageTest {

    private final RoleStage stage = new RoleStage();

    private static Resource.Builder cpus(double value) {
        return Resource.newBuilder().setName("cpus").setType(Value.Type.SCALAR)
                .setScalar(Value.Scalar.newBuilder().setValue(value));
    }

    @Test
    void onlyResourcesAllocatedToOurRoleCount() {
        Offer mixed = offer("o1", "a1", "host-1")
                .scalar("cpus", 4, ROLE).scalar("cpus", 16, "analytics")
                .scalar("mem", 8192, ROLE).scalar("mem", 65536, "analytics")
                .ports("analytics", 31000, 32000).build();

        CandidateOffer candidate = candidate(mixed);

        assertThat(candidate.cpusMillis()).isEqualTo(4000);
        assertThat(candidate.memMillis()).isEqualTo(8192000);
        assertThat(candidate.freePorts()).isZero();
        assertThat(stage.check(candidate, new PlacedRuns())).isEmpty();
    }

    @Test
    void anOfferAllocatedToAnotherRoleIsRefusedNamingThatRole() {
        Offer other = offer("o1", "a1", "host-1").scalar("cpus", 8, "analytics").scalar("mem", 4096, "analytics").build();

        assertThat(stage.check(candidate(other), new PlacedRuns())).get()
                .extracting(OfferStage.Rejection::reason)
                .isEqualTo("nothing offered to role snapci (resources allocated to role analytics)");
    }

    @Test
    void theOffersAllocationInfoStandsInForResourcesWithoutOne() {
        Offer offerLevel = offer("o1", "a1", "host-1").scalar("cpus", 8, null).build().toBuilder()
                .setAllocationInfo(Resource.AllocationInfo.newBuilder().setRole("analytics")).build();

        assertThat(candidate(offerLevel).cpusMillis()).isZero();
    }

    @Test
    void withoutAnyAllocationInfoTheResourcesAreOurs() {
        // A non MULTI_ROLE framework's view: "can continue to assume that the offered resources are allocated to
        // their role" (mesos.proto).
        Offer plain = offer("o1", "a1", "host-1").scalar("cpus", 2.5, null).build();

        assertThat(candidate(plain).cpusMillis()).isEqualTo(2500);
    }

    @Test
    void reservedResourcesAreNotCountedUnlessTheLaunchCarriesTheReservation() {
        Offer reserved = offer("o1", "a1", "host-1")
                .resource(TestOffers.allocated(cpus(4).addReservations(Resource.ReservationInfo.newBuilder()
                        .setType(Resource.ReservationInfo.Type.STATIC).setRole(ROLE)), ROLE))
                // the pre-refinement format: the deprecated role field
                .resource(TestOffers.allocated(cpus(2).setRole(ROLE), ROLE))
                .build();

        CandidateOffer unreservedOnly = candidate(reserved);
        assertThat(unreservedOnly.cpusMillis()).isZero();
        assertThat(stage.check(unreservedOnly, new PlacedRuns())).get().extracting(OfferStage.Rejection::reason)
                .isEqualTo("nothing offered to role snapci; not counted: cpus reserved for snapci "
                        + "(the task group asks for unreserved resources)");

        CandidateOffer counted = new CandidateOffer(reserved, new RoleFilter(ROLE, true));
        assertThat(counted.cpusMillis()).isEqualTo(6000);
    }

    @Test
    void aReservationForAnAncestorRoleCountsForAChildRoleButNotTheReverse() {
        Offer parent = offer("o1", "a1", "host-1").resource(TestOffers.allocated(cpus(4).addReservations(
                Resource.ReservationInfo.newBuilder().setType(Resource.ReservationInfo.Type.DYNAMIC).setRole("eng")),
                "eng/ci")).build();
        Offer child = offer("o2", "a1", "host-1").resource(TestOffers.allocated(cpus(4).addReservations(
                Resource.ReservationInfo.newBuilder().setType(Resource.ReservationInfo.Type.DYNAMIC).setRole("eng/ci")),
                "eng")).build();

        assertThat(new CandidateOffer(parent, new RoleFilter("eng/ci", true)).cpusMillis()).isEqualTo(4000);
        assertThat(new CandidateOffer(child, new RoleFilter("eng", true)).cpusMillis()).isZero();
    }

    @Test
    void revocableResourcesNeverCount() {
        Offer revocable = offer("o1", "a1", "host-1").resource(TestOffers.allocated(cpus(4)
                .setRevocable(Resource.RevocableInfo.getDefaultInstance()), ROLE)).scalar("cpus", 1, ROLE).build();

        assertThat(candidate(revocable).cpusMillis()).isEqualTo(1000);
    }
}
