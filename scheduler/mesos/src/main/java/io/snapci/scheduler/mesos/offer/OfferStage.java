package io.snapci.scheduler.mesos.offer;

import java.util.Optional;

/**
 * One check of the offer evaluator's pipeline. A stage looks at one offer (what is left of it in this round) for
 * the next waiting run and either lets it through or says why it does not fit.
 */
public interface OfferStage {

    /** @return empty when the offer passes this stage; otherwise why it does not fit */
    Optional<Rejection> check(CandidateOffer offer, PlacedRuns placed);

    /**
     * Whether a rejection by this stage may turn into a pass later in the same round, as other runs get placed
     * (only a balancing constraint such as GROUP_BY can). The evaluator stops looking at an offer once a stage whose
     * answer cannot change has rejected it.
     */
    default boolean mayChangeWithinARound() {
        return false;
    }

    /**
     * Why an offer did not fit.
     *
     * @param stage  the stage that said no: role, attributes, maintenance, constraints, resources
     * @param kind   a short, low-cardinality label for counting (a metric label): {@code mem}, {@code ports},
     *               {@code attribute}, {@code maintenance}, ...
     * @param reason the sentence a person reads, without the agent prefix
     */
    record Rejection(String stage, String kind, String reason) {
    }
}
