package io.snapci.scheduler.mesos.transport;

import org.apache.mesos.v1.scheduler.Protos.Event;

import java.util.function.Consumer;

/**
 * Routes a decoded event to the matching {@link SchedulerEventHandler} callback. The client does not pass ERROR here:
 * it first stops, then reports it through {@link #error}. What a callback's exception does is the owner's choice:
 * without a failure handler it is logged and the next event is handled; with one (snapci's scheduler: crash-only),
 * the handler is told and {@link #dispatch} answers false, and the client stops before anything else is handled or
 * acknowledged.
 */
final class EventDispatcher {

    private static final System.Logger LOG = System.getLogger(MesosSchedulerClient.class.getName());

    private final SchedulerEventHandler handler;
    private final Consumer<String> onFailure;

    /** @param onFailure told when a callback throws, or null to log it and go on */
    EventDispatcher(SchedulerEventHandler handler, Consumer<String> onFailure) {
        this.handler = handler;
        this.onFailure = onFailure;
    }

    /** Handles the event; false when its handling failed and the client must stop. */
    boolean dispatch(Event event) {
        try {
            switch (event.getType()) {
                case SUBSCRIBED -> handler.onSubscribed(event.getSubscribed());
                case OFFERS -> handler.onOffers(event.getOffers());
                case INVERSE_OFFERS -> handler.onInverseOffers(event.getInverseOffers());
                case RESCIND -> handler.onRescind(event.getRescind());
                case RESCIND_INVERSE_OFFER -> handler.onRescindInverseOffer(event.getRescindInverseOffer());
                case UPDATE -> handler.onUpdate(event.getUpdate());
                case UPDATE_OPERATION_STATUS -> handler.onUpdateOperationStatus(event.getUpdateOperationStatus());
                case MESSAGE -> handler.onMessage(event.getMessage());
                case FAILURE -> handler.onFailure(event.getFailure());
                case HEARTBEAT -> handler.onHeartbeat();
                default -> handler.onUnknownEvent(event);
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "event handler failed on " + event.getType(), e);
            if (onFailure != null) {
                onFailure.accept("handling the master's " + event.getType() + " event failed: " + e);
                return false;
            }
        }
        return true;
    }

    void disconnected(String reason) {
        try {
            handler.onDisconnected(reason);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "event handler failed in onDisconnected", e);
        }
    }

    void error(String message) {
        try {
            handler.onError(message);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "event handler failed in onError", e);
        }
    }
}
