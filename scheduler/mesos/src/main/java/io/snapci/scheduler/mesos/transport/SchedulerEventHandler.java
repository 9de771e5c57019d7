package io.snapci.scheduler.mesos.transport;

import org.apache.mesos.v1.scheduler.Protos.Event;

/**
 * What the scheduler logic hears from {@link MesosSchedulerClient}. All callbacks run on the client's single
 * subscription thread, one at a time, in stream order, so implementations need no locking among themselves; they may
 * call {@link MesosSchedulerClient#send} (a separate HTTP request), but should not block for long: while a callback
 * runs, the stream is not read and heartbeats are not seen.
 *
 * <p>Event semantics are those of apache/mesos {@code docs/scheduler-http-api.md} ("Events"). An exception thrown by a
 * callback is logged and does not break the subscription.
 */
public interface SchedulerEventHandler {

    /**
     * The master accepted the subscription. The framework id is now known to the client (persist it, and put it in
     * the {@code FrameworkInfo} supplied for the next subscription), and {@code send} may be used.
     */
    void onSubscribed(Event.Subscribed subscribed);

    default void onOffers(Event.Offers offers) {
    }

    default void onInverseOffers(Event.InverseOffers inverseOffers) {
    }

    default void onRescind(Event.Rescind rescind) {
    }

    default void onRescindInverseOffer(Event.RescindInverseOffer rescind) {
    }

    /** A task status update; acknowledge it when {@code status.uuid} is set. */
    default void onUpdate(Event.Update update) {
    }

    default void onUpdateOperationStatus(Event.UpdateOperationStatus update) {
    }

    default void onMessage(Event.Message message) {
    }

    default void onFailure(Event.Failure failure) {
    }

    default void onHeartbeat() {
    }

    /** An event of a type this client does not know (a newer master); ignored by default. */
    default void onUnknownEvent(Event event) {
    }

    /**
     * The subscription attempt failed or the stream was lost (or judged dead). The client resubscribes by itself,
     * after a backoff; calls fail until the next {@link #onSubscribed}.
     */
    void onDisconnected(String reason);

    /**
     * The master sent ERROR (e.g. the framework is not authorized, or was torn down / superseded). The client has
     * stopped for good and will not resubscribe; the caller decides what to do, typically exit.
     */
    void onError(String message);
}
