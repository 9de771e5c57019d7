package io.snapci.scheduler.mesos.transport;

import org.apache.mesos.v1.scheduler.Protos.Event;

/**
 * Routes a decoded event to the matching {@link SchedulerEventHandler} callback. The client does not pass ERROR here:
 * it first stops, then reports it through {@link #error}. A callback's exception is logged, not propagated: one bad
 * event handling must not tear down the subscription (and with it, after the failover timeout, every running task).
 */
final class EventDispatcher {

    private static final System.Logger LOG = System.getLogger(MesosSchedulerClient.class.getName());

    private final SchedulerEventHandler handler;

    EventDispatcher(SchedulerEventHandler handler) {
        this.handler = handler;
    }

    void dispatch(Event event) {
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
        }
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
