package io.snapci.tests.mesos;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.DurationInfo;
import org.apache.mesos.v1.Protos.InverseOffer;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.OfferID;
import org.apache.mesos.v1.Protos.Resource;
import org.apache.mesos.v1.Protos.TimeInfo;
import org.apache.mesos.v1.Protos.Unavailability;

/**
 * The agents' resources and who holds them: outstanding offers, what tasks and executors use, and the allocation
 * cycle that turns the rest into offers. Follows the behaviour of mesos 1.11.0
 * {@code src/master/allocator/mesos/hierarchical.cpp} at the level a framework can observe:
 * <ul>
 *   <li>an agent's whole unallocated resources go into one offer, allocated to one of the framework's roles
 *       ({@code Resource.allocation_info.role}, MULTI_ROLE), only to roles that are not suppressed and only when the
 *       agent's reservation role is "*" or that role;</li>
 *   <li>declined or unused resources are filtered for {@code Filters.refuse_seconds} (protobuf default 5 s): the agent
 *       is skipped while what it has is no more than what was refused ({@code isFiltered});</li>
 *   <li>agents in maintenance are offered with {@code unavailability}, and frameworks using them get an inverse offer
 *       ({@code docs/maintenance.md}).</li>
 * </ul>
 * Simplifications: no DRF ordering between frameworks (agents go to frameworks in subscription order), filters are per
 * agent rather than per role and agent, no offer timeout. Master thread only.
 */
final class Allocator {

    /** @param filesPort where the agent's HTTP endpoints (its {@code /files/read}) listen, for {@code Offer.url} */
    record AgentState(AgentSpec spec, ResourceBag total, Optional<Unavailability> unavailability, int filesPort) {
        AgentID agentId() {
            return AgentID.newBuilder().setValue(spec.id()).build();
        }
    }

    /** An outstanding offer; {@code resources} unallocated, so it can be given back to the agent. */
    record OfferRecord(Offer offer, String frameworkId, String agentId, String role, ResourceBag resources) {
    }

    record InverseOfferRecord(InverseOffer inverseOffer, String frameworkId, String agentId) {
    }

    private final Map<String, AgentState> agents = new LinkedHashMap<>();
    private final Map<String, ResourceBag> used = new LinkedHashMap<>();
    private final Map<String, OfferRecord> offers = new LinkedHashMap<>();
    private final Map<String, InverseOfferRecord> inverseOffers = new LinkedHashMap<>();
    private final AtomicLong offerCounter = new AtomicLong();
    private String masterId;

    Allocator(String masterId) {
        this.masterId = masterId;
    }

    /** A new leader numbers its offers afresh and remembers no offers or filters. */
    void newLeader(String id) {
        masterId = id;
        offers.clear();
        inverseOffers.clear();
    }

    void addAgent(AgentSpec spec, int filesPort) {
        Optional<Unavailability> unavailability = spec.unavailableFrom() == null ? Optional.empty()
                : Optional.of(unavailability(spec.unavailableFrom(), spec.unavailableFor()));
        agents.put(spec.id(), new AgentState(spec, spec.resources(), unavailability, filesPort));
        used.put(spec.id(), ResourceBag.empty());
    }

    Optional<AgentState> agent(String id) {
        return Optional.ofNullable(agents.get(id));
    }

    Collection<AgentState> agents() {
        return agents.values();
    }

    /** Forgets the agent; returns its offers and inverse offers, which the caller rescinds. */
    List<OfferRecord> removeAgent(String id) {
        agents.remove(id);
        used.remove(id);
        List<OfferRecord> gone = offers.values().stream().filter(o -> o.agentId().equals(id)).toList();
        gone.forEach(o -> offers.remove(o.offer().getId().getValue()));
        inverseOffers.values().removeIf(i -> i.agentId().equals(id));
        return gone;
    }

    void scheduleMaintenance(String agentId, Instant start, java.time.Duration duration) {
        AgentState a = agents.get(agentId);
        if (a == null) {
            throw new IllegalArgumentException("no agent " + agentId);
        }
        agents.put(agentId, new AgentState(a.spec(), a.total(), Optional.of(unavailability(start, duration)),
                a.filesPort()));
    }

    ResourceBag available(String agentId) {
        AgentState a = agents.get(agentId);
        if (a == null) {
            return ResourceBag.empty();
        }
        ResourceBag free = a.total().minus(used.get(agentId));
        for (OfferRecord o : offers.values()) {
            if (o.agentId().equals(agentId)) {
                free = free.minus(o.resources());
            }
        }
        return free;
    }

    Optional<OfferRecord> offer(OfferID id) {
        return Optional.ofNullable(offers.get(id.getValue()));
    }

    Collection<OfferRecord> outstanding() {
        return List.copyOf(offers.values());
    }

    Optional<InverseOfferRecord> inverseOffer(OfferID id) {
        return Optional.ofNullable(inverseOffers.get(id.getValue()));
    }

    void removeOffer(OfferID id) {
        offers.remove(id.getValue());
    }

    void removeInverseOffer(OfferID id) {
        inverseOffers.remove(id.getValue());
    }

    /** Offers of this framework, removed (the framework disconnected or was removed). */
    List<OfferRecord> removeOffersOf(String frameworkId) {
        List<OfferRecord> gone = offers.values().stream().filter(o -> o.frameworkId().equals(frameworkId)).toList();
        gone.forEach(o -> offers.remove(o.offer().getId().getValue()));
        inverseOffers.values().removeIf(i -> i.frameworkId().equals(frameworkId));
        return gone;
    }

    void use(String agentId, ResourceBag unallocated) {
        used.computeIfPresent(agentId, (k, v) -> v.plus(unallocated));
    }

    void release(String agentId, ResourceBag unallocated) {
        used.computeIfPresent(agentId, (k, v) -> v.minus(unallocated));
    }

    /** Resources given back by a framework: filtered for {@code refuseSeconds} if there are any and it is positive. */
    void recover(FrameworkRecord framework, String agentId, ResourceBag unallocated, double refuseSeconds,
            Instant now) {
        if (!unallocated.isEmpty() && refuseSeconds > 0) {
            framework.offerFilters.put(agentId, new FrameworkRecord.Filter(unallocated,
                    now.plusMillis((long) (refuseSeconds * 1000))));
        }
    }

    /** One allocation cycle: the offers to make, per framework (in the order given). */
    Map<FrameworkRecord, List<Offer>> allocate(List<FrameworkRecord> frameworks, Instant now) {
        Map<FrameworkRecord, List<Offer>> made = new LinkedHashMap<>();
        for (AgentState agent : agents.values()) {
            String agentId = agent.spec().id();
            for (FrameworkRecord fw : frameworks) {
                ResourceBag free = available(agentId);
                if (free.isEmpty()) {
                    break;
                }
                Optional<String> role = eligibleRole(fw, agent);
                if (role.isEmpty() || filtered(fw, agentId, free, now)) {
                    continue;
                }
                Offer offer = offerFor(fw, agent, role.get(), free);
                offers.put(offer.getId().getValue(), new OfferRecord(offer, fw.value(), agentId, role.get(), free));
                made.computeIfAbsent(fw, k -> new ArrayList<>()).add(offer);
            }
        }
        return made;
    }

    /** Inverse offers for agents in maintenance, to frameworks that hold resources there and have none yet. */
    Map<FrameworkRecord, List<InverseOffer>> inverseOffers(List<FrameworkRecord> frameworks,
            Map<String, List<String>> agentsUsedByFramework, Instant now) {
        Map<FrameworkRecord, List<InverseOffer>> made = new LinkedHashMap<>();
        for (AgentState agent : agents.values()) {
            if (agent.unavailability().isEmpty()) {
                continue;
            }
            String agentId = agent.spec().id();
            for (FrameworkRecord fw : frameworks) {
                boolean holds = agentsUsedByFramework.getOrDefault(fw.value(), List.of()).contains(agentId)
                        || offers.values().stream().anyMatch(o -> o.frameworkId().equals(fw.value())
                                && o.agentId().equals(agentId));
                boolean already = inverseOffers.values().stream()
                        .anyMatch(i -> i.frameworkId().equals(fw.value()) && i.agentId().equals(agentId));
                Instant until = fw.inverseOfferFilters.get(agentId);
                if (!holds || already || (until != null && now.isBefore(until))) {
                    continue;
                }
                InverseOffer io = InverseOffer.newBuilder()
                        .setId(OfferID.newBuilder().setValue(masterId + "-O" + offerCounter.getAndIncrement()))
                        .setFrameworkId(fw.id)
                        .setAgentId(agent.agentId())
                        .setUnavailability(agent.unavailability().get())
                        .build();
                inverseOffers.put(io.getId().getValue(), new InverseOfferRecord(io, fw.value(), agentId));
                made.computeIfAbsent(fw, k -> new ArrayList<>()).add(io);
            }
        }
        return made;
    }

    private static Optional<String> eligibleRole(FrameworkRecord fw, AgentState agent) {
        String reserved = agent.spec().role();
        return fw.roles().stream()
                .filter(r -> !fw.suppressedRoles.contains(r))
                .filter(r -> reserved.equals("*") || reserved.equals(r))
                .findFirst();
    }

    private static boolean filtered(FrameworkRecord fw, String agentId, ResourceBag free, Instant now) {
        FrameworkRecord.Filter f = fw.offerFilters.get(agentId);
        if (f == null) {
            return false;
        }
        if (!now.isBefore(f.until())) {
            fw.offerFilters.remove(agentId);
            return false;
        }
        return f.refused().contains(free);
    }

    private Offer offerFor(FrameworkRecord fw, AgentState agent, String role, ResourceBag free) {
        List<Resource> resources = free.allocatedTo(role).toProtos();
        Offer.Builder offer = Offer.newBuilder()
                .setId(OfferID.newBuilder().setValue(masterId + "-O" + offerCounter.getAndIncrement()))
                .setFrameworkId(fw.id)
                .setAgentId(agent.agentId())
                .setHostname(agent.spec().hostname())
                // mesos.proto Offer.url: the agent's libprocess address and id, where its HTTP endpoints are.
                .setUrl(org.apache.mesos.v1.Protos.URL.newBuilder().setScheme("http").setPath("/slave(1)")
                        .setAddress(org.apache.mesos.v1.Protos.Address.newBuilder().setHostname("127.0.0.1")
                                .setIp("127.0.0.1").setPort(agent.filesPort())))
                .setAllocationInfo(Resource.AllocationInfo.newBuilder().setRole(role))
                .addAllResources(resources)
                .addAllAttributes(agent.spec().attributes());
        agent.unavailability().ifPresent(offer::setUnavailability);
        return offer.build();
    }

    private static Unavailability unavailability(Instant start, java.time.Duration duration) {
        Unavailability.Builder u = Unavailability.newBuilder()
                .setStart(TimeInfo.newBuilder().setNanoseconds(start.getEpochSecond() * 1_000_000_000L
                        + start.getNano()));
        if (duration != null) {
            u.setDuration(DurationInfo.newBuilder().setNanoseconds(duration.toNanos()));
        }
        return u.build();
    }
}
