package io.snapci.scheduler.mesos.offer;

import java.util.List;
import java.util.Optional;

/** Checks the Marathon constraints against the agent and the live runs (see {@link MarathonConstraint}). */
public final class ConstraintStage implements OfferStage {

    private final List<MarathonConstraint> constraints;
    private final boolean balancing;

    public ConstraintStage(List<MarathonConstraint> constraints) {
        this.constraints = List.copyOf(constraints);
        this.balancing = constraints.stream().anyMatch(c -> c.operator() == MarathonConstraint.Operator.GROUP_BY);
    }

    @Override
    public Optional<Rejection> check(CandidateOffer offer, PlacedRuns placed) {
        for (MarathonConstraint constraint : constraints) {
            Optional<String> why = constraint.check(offer.field(constraint.field()), placed.countsBy(constraint.field()));
            if (why.isPresent()) {
                return Optional.of(new Rejection("constraints", "constraint",
                        "constraint " + constraint + " not met: " + why.get()));
            }
        }
        return Optional.empty();
    }

    /** UNIQUE, MAX_PER and CLUSTER only get stricter as runs are placed; GROUP_BY can open a value up again. */
    @Override
    public boolean mayChangeWithinARound() {
        return balancing;
    }
}
