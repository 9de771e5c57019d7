package io.snapci.tests.mesos;

import java.util.Optional;
import org.apache.mesos.v1.scheduler.Protos.Call;

/**
 * The stateless checks of a scheduler call, with the messages of mesos 1.11.0 {@code src/master/validation.cpp}
 * ({@code validation::scheduler::call::validate}); the HTTP front prefixes them with
 * "Failed to validate scheduler::Call: ".
 */
final class CallValidation {

    private CallValidation() {
    }

    static Optional<String> validate(Call call) {
        if (!call.hasType()) {
            return Optional.of("Expecting 'type' to be present");
        }
        if (call.getType() == Call.Type.SUBSCRIBE) {
            if (!call.hasSubscribe()) {
                return Optional.of("Expecting 'subscribe' to be present");
            }
            if (!call.getSubscribe().getFrameworkInfo().getId().equals(call.getFrameworkId())) {
                return Optional.of("'framework_id' differs from 'subscribe.framework_info.id'");
            }
            return Optional.empty();
        }
        if (!call.hasFrameworkId()) {
            return Optional.of("Expecting 'framework_id' to be present");
        }
        return switch (call.getType()) {
            case ACCEPT -> present(call.hasAccept(), "accept");
            case DECLINE -> present(call.hasDecline(), "decline");
            case ACCEPT_INVERSE_OFFERS -> present(call.hasAcceptInverseOffers(), "accept_inverse_offers");
            case DECLINE_INVERSE_OFFERS -> present(call.hasDeclineInverseOffers(), "decline_inverse_offers");
            case KILL -> present(call.hasKill(), "kill");
            case SHUTDOWN -> present(call.hasShutdown(), "shutdown");
            case ACKNOWLEDGE -> !call.hasAcknowledge() ? present(false, "acknowledge")
                    : call.getAcknowledge().getUuid().size() != 16 ? Optional.of("Not a valid UUID")
                    : Optional.empty();
            case RECONCILE -> present(call.hasReconcile(), "reconcile");
            case MESSAGE -> present(call.hasMessage(), "message");
            case REQUEST -> present(call.hasRequest(), "request");
            default -> Optional.empty();
        };
    }

    private static Optional<String> present(boolean has, String field) {
        return has ? Optional.empty() : Optional.of("Expecting '" + field + "' to be present");
    }
}
