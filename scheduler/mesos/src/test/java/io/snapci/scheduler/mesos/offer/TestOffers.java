package io.snapci.scheduler.mesos.offer;

import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.Attribute;
import org.apache.mesos.v1.Protos.DurationInfo;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.OfferID;
import org.apache.mesos.v1.Protos.Resource;
import org.apache.mesos.v1.Protos.TimeInfo;
import org.apache.mesos.v1.Protos.Unavailability;
import org.apache.mesos.v1.Protos.Value;

import java.time.Duration;
import java.time.Instant;

/** Real protobuf offers for the tests, built the way a Mesos 1.11 master sends them to a MULTI_ROLE framework. */
final class TestOffers {

    static final String ROLE = "snapci";

    private final Offer.Builder offer;

    private TestOffers(String offerId, String agentId, String hostname) {
        offer = Offer.newBuilder()
                .setId(OfferID.newBuilder().setValue(offerId))
                .setFrameworkId(FrameworkID.newBuilder().setValue("fw-1"))
                .setAgentId(AgentID.newBuilder().setValue(agentId))
                .setHostname(hostname);
    }

    static TestOffers offer(String offerId, String agentId, String hostname) {
        return new TestOffers(offerId, agentId, hostname);
    }

    /** cpus, mem and ports allocated to our role, with tier:ci. */
    static TestOffers ciAgent(String offerId, String agentId, String hostname, double cpus, double memMb,
                              long portsBegin, long portsEnd) {
        return offer(offerId, agentId, hostname).scalar("cpus", cpus, ROLE).scalar("mem", memMb, ROLE)
                .ports(ROLE, portsBegin, portsEnd).text("tier", "ci");
    }

    TestOffers scalar(String name, double value, String allocatedTo) {
        offer.addResources(allocated(Resource.newBuilder().setName(name).setType(Value.Type.SCALAR)
                .setScalar(Value.Scalar.newBuilder().setValue(value)), allocatedTo));
        return this;
    }

    TestOffers resource(Resource.Builder resource) {
        offer.addResources(resource);
        return this;
    }

    /** One ports resource with these {begin, end} pairs. */
    TestOffers ports(String allocatedTo, long... bounds) {
        Value.Ranges.Builder ranges = Value.Ranges.newBuilder();
        for (int i = 0; i < bounds.length; i += 2) {
            ranges.addRange(Value.Range.newBuilder().setBegin(bounds[i]).setEnd(bounds[i + 1]));
        }
        offer.addResources(allocated(Resource.newBuilder().setName("ports").setType(Value.Type.RANGES)
                .setRanges(ranges), allocatedTo));
        return this;
    }

    TestOffers text(String name, String value) {
        offer.addAttributes(Attribute.newBuilder().setName(name).setType(Value.Type.TEXT)
                .setText(Value.Text.newBuilder().setValue(value)));
        return this;
    }

    TestOffers attribute(Attribute.Builder attribute) {
        offer.addAttributes(attribute);
        return this;
    }

    TestOffers unavailable(Instant start, Duration duration) {
        Unavailability.Builder window = Unavailability.newBuilder()
                .setStart(TimeInfo.newBuilder().setNanoseconds(start.getEpochSecond() * 1_000_000_000L + start.getNano()));
        if (duration != null) {
            window.setDuration(DurationInfo.newBuilder().setNanoseconds(duration.toNanos()));
        }
        offer.setUnavailability(window);
        return this;
    }

    Offer build() {
        return offer.build();
    }

    static Resource.Builder allocated(Resource.Builder resource, String role) {
        if (role != null) {
            resource.setAllocationInfo(Resource.AllocationInfo.newBuilder().setRole(role));
        }
        return resource;
    }

    static CandidateOffer candidate(Offer offer) {
        return new CandidateOffer(offer, new RoleFilter(ROLE, false));
    }
}
