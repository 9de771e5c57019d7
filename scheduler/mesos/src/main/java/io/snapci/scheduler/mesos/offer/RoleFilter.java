package io.snapci.scheduler.mesos.offer;

import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.Resource;

import java.util.Optional;

/**
 * Which of an offer's resources snapci may count, following mesos.proto's {@code Resource}:
 * <ul>
 *   <li><b>allocation</b>: a MULTI_ROLE framework (snapci is one) receives resources with
 *       {@code allocation_info.role} set to the role they are allocated to; a framework subscribed with several roles
 *       can see several. Only ours count. When neither the resource nor the offer carries an allocation (an older
 *       master, a non MULTI_ROLE framework), the resources are ours, as the proto documents.</li>
 *   <li><b>reservation</b>: either the refined format ({@code reservations}, a stack whose last entry is the current
 *       reservation) or the older one (the deprecated {@code role} field, {@code "*"} meaning unreserved). A
 *       reservation for our role or for one of its ancestors ({@code eng} for {@code eng/ci}) could be used, but only
 *       by a task whose resources name that same reservation: snapci's task groups ask for unreserved resources, so
 *       reserved resources count only when the config says the launch carries the reservation.</li>
 *   <li>revocable resources are never counted: a CI run must not be preempted by the oversubscription controller.</li>
 * </ul>
 */
final class RoleFilter {

    enum Use {
        USABLE,
        /** allocated to another role of a multi-role framework */
        OTHER_ROLE,
        /** allocated to us but reserved, and the launch does not ask for reserved resources */
        RESERVED,
        REVOCABLE
    }

    private final String role;
    private final boolean countReserved;

    RoleFilter(String role, boolean countReserved) {
        this.role = role;
        this.countReserved = countReserved;
    }

    String role() {
        return role;
    }

    Use classify(Offer offer, Resource resource) {
        String allocated = allocatedRole(offer, resource).orElse(role);
        if (!allocated.equals(role)) {
            return Use.OTHER_ROLE;
        }
        if (resource.hasRevocable()) {
            return Use.REVOCABLE;
        }
        Optional<String> reserved = reservationRole(resource);
        if (reserved.isEmpty()) {
            return Use.USABLE;
        }
        return countReserved && isSelfOrAncestor(reserved.get()) ? Use.USABLE : Use.RESERVED;
    }

    static Optional<String> allocatedRole(Offer offer, Resource resource) {
        if (resource.hasAllocationInfo() && resource.getAllocationInfo().hasRole()) {
            return Optional.of(resource.getAllocationInfo().getRole());
        }
        if (offer.hasAllocationInfo() && offer.getAllocationInfo().hasRole()) {
            return Optional.of(offer.getAllocationInfo().getRole());
        }
        return Optional.empty();
    }

    /** The role of the current reservation, empty when the resource is unreserved. */
    static Optional<String> reservationRole(Resource resource) {
        if (resource.getReservationsCount() > 0) {
            return Optional.of(resource.getReservations(resource.getReservationsCount() - 1).getRole());
        }
        if (resource.hasRole() && !"*".equals(resource.getRole())) {
            return Optional.of(resource.getRole());
        }
        return Optional.empty();
    }

    private boolean isSelfOrAncestor(String reservedFor) {
        return reservedFor.equals(role) || role.startsWith(reservedFor + "/");
    }
}
