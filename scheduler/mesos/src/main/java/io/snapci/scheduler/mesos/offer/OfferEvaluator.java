package io.snapci.scheduler.mesos.offer;

import io.snapci.scheduler.mesos.launch.RunPorts;

import io.snapci.scheduler.core.launch.DeclineReasons;

import io.snapci.scheduler.mesos.launch.OfferMatcher;
import org.apache.mesos.v1.Protos.Offer;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * snapci's {@link OfferMatcher}: a pipeline of small stages — role, agent attributes (the storage tier, e.g.
 * {@code tier:ci}), maintenance, resources (cpus, memory, disk, two ports), Marathon constraints — each saying why
 * an offer does not fit.
 *
 * <p>Runs are taken in order; each goes on the first offer that fits it, and an offer may take several runs up to
 * {@link OfferEvaluatorConfig#maxRunsPerOffer()} (what earlier runs took, ports included, is subtracted). Every offer
 * left unused is declined with the reason its last check gave, or "no run waiting" when every run was placed before
 * it was looked at. The reasons go to {@link DeclineReasons}.
 *
 * <p>It remembers where the runs it placed are (for UNIQUE, MAX_PER, CLUSTER, GROUP_BY) until {@link #released}.
 * Calls are serialized on this object: the launcher calls it from the event thread, endpoints may read placements.
 */
public final class OfferEvaluator implements OfferMatcher {

    static final String NO_RUN_WAITING = "no run waiting";

    private final OfferEvaluatorConfig config;
    private final DeclineReasons reasons;
    private final Clock clock;
    private final RoleFilter roleFilter;
    private final ResourcesStage resources;
    private final List<OfferStage> stages;
    private final PlacedRuns placed = new PlacedRuns();

    public OfferEvaluator(OfferEvaluatorConfig config, DeclineReasons reasons, Clock clock) {
        this.config = config;
        this.reasons = reasons;
        this.clock = clock;
        this.roleFilter = new RoleFilter(config.role(), config.countReserved());
        this.resources = new ResourcesStage(config);
        // The checks of the agent itself first, so that a wrong agent is declined for what is wrong with it rather
        // than for lacking memory; constraints last, as they depend on the runs placed.
        this.stages = List.of(new RoleStage(), new AttributeStage(config.requiredAttributes()),
                new MaintenanceStage(config.maintenanceHorizon(), clock), resources,
                new ConstraintStage(config.constraints()));
    }

    public OfferEvaluator(OfferEvaluatorConfig config, Clock clock) {
        this(config, new DeclineReasons(DeclineReasons.DEFAULT_CAPACITY), clock);
    }

    @Override
    public synchronized Matches match(List<String> waitingRunIds, List<Offer> offers) {
        // A waiting run is not running anywhere, whatever we remembered (a retry whose release we missed).
        waitingRunIds.forEach(placed::remove);
        int n = offers.size();
        CandidateOffer[] candidates = new CandidateOffer[n];
        OfferStage.Rejection[] lastRejection = new OfferStage.Rejection[n];
        boolean[] closed = new boolean[n];
        boolean[] used = new boolean[n];
        List<Match> matches = new ArrayList<>();
        int firstOpen = 0;
        for (String runId : waitingRunIds) {
            int placedOn = -1;
            for (int i = firstOpen; i < n && placedOn < 0; i++) {
                if (closed[i]) {
                    continue;
                }
                if (candidates[i] == null) {
                    candidates[i] = new CandidateOffer(offers.get(i), roleFilter);
                }
                Optional<OfferStage.Rejection> rejection = Optional.empty();
                for (OfferStage stage : stages) {
                    rejection = stage.check(candidates[i], placed);
                    if (rejection.isPresent()) {
                        lastRejection[i] = rejection.get();
                        closed[i] = !stage.mayChangeWithinARound();
                        break;
                    }
                }
                if (rejection.isEmpty()) {
                    placedOn = i;
                }
            }
            while (firstOpen < n && closed[firstOpen]) {
                firstOpen++;
            }
            if (placedOn < 0) {
                // The runs all ask for the same: what did not fit this one fits none of the next.
                break;
            }
            CandidateOffer offer = candidates[placedOn];
            int[] ports = resources.take(offer);
            used[placedOn] = true;
            matches.add(new Match(runId, offer.offer(), RunPorts.of(ports)));
            placed.add(new PlacedRuns.Placement(runId, offer.agentId(), offer.hostname(), offer.attributes()));
        }
        return new Matches(matches, declineUnused(offers, used, lastRejection));
    }

    private List<Declined> declineUnused(List<Offer> offers, boolean[] used, OfferStage.Rejection[] lastRejection) {
        Instant now = clock.instant();
        List<Declined> declined = new ArrayList<>();
        for (int i = 0; i < offers.size(); i++) {
            if (used[i]) {
                continue;
            }
            Offer offer = offers.get(i);
            OfferStage.Rejection why = lastRejection[i] != null ? lastRejection[i]
                    : new OfferStage.Rejection("none", "no-run-waiting", NO_RUN_WAITING);
            String reason = "agent " + offer.getAgentId().getValue() + " (" + offer.getHostname() + "): " + why.reason();
            declined.add(new Declined(offer.getId(), reason));
            reasons.record(new DeclineReasons.Entry(now, offer.getId().getValue(), offer.getAgentId().getValue(),
                    offer.getHostname(), why.stage(), why.kind(), reason));
        }
        return declined;
    }

    @Override
    public synchronized void released(String runId) {
        placed.remove(runId);
    }

    /** Where the live runs are, for a debug endpoint. */
    public synchronized List<PlacedRuns.Placement> placements() {
        return placed.all();
    }

    public DeclineReasons declineReasons() {
        return reasons;
    }

    public OfferEvaluatorConfig config() {
        return config;
    }

    /** The pipeline, in order (for a debug endpoint and tests). */
    public List<OfferStage> stages() {
        return stages;
    }
}
