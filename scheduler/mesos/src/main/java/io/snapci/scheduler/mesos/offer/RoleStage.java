package io.snapci.scheduler.mesos.offer;

import java.util.Optional;

/** Refuses offers with nothing for our role: all allocated to another role, or reserved in a way we cannot use. */
public final class RoleStage implements OfferStage {

    @Override
    public Optional<Rejection> check(CandidateOffer offer, PlacedRuns placed) {
        if (offer.hasAnythingForRole()) {
            return Optional.empty();
        }
        StringBuilder why = new StringBuilder("nothing offered to role ").append(offer.role());
        if (!offer.otherRoles().isEmpty()) {
            why.append(" (resources allocated to role ").append(String.join(", ", offer.otherRoles())).append(')');
        }
        if (!offer.reservedSkipped().isEmpty()) {
            why.append("; not counted: ").append(String.join(", ", offer.reservedSkipped()))
                    .append(" (the task group asks for unreserved resources)");
        }
        return Optional.of(new Rejection("role", "role", why.toString()));
    }
}
