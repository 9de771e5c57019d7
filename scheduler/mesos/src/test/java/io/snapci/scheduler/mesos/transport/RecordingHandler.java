package io.snapci.scheduler.mesos.transport;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.apache.mesos.v1.scheduler.Protos.Event;

/** Records callbacks as short strings, in order, for assertions; heartbeats are only counted. */
class RecordingHandler implements SchedulerEventHandler {

    final List<String> log = new CopyOnWriteArrayList<>();
    final List<Event.Subscribed> subscribed = new CopyOnWriteArrayList<>();
    final List<String> disconnects = new CopyOnWriteArrayList<>();
    final List<String> errors = new CopyOnWriteArrayList<>();
    final AtomicInteger heartbeats = new AtomicInteger();

    @Override
    public void onSubscribed(Event.Subscribed s) {
        subscribed.add(s);
        log.add("SUBSCRIBED:" + s.getFrameworkId().getValue());
    }

    @Override
    public void onOffers(Event.Offers offers) {
        log.add("OFFERS:" + offers.getOffers(0).getId().getValue());
    }

    @Override
    public void onRescind(Event.Rescind rescind) {
        log.add("RESCIND:" + rescind.getOfferId().getValue());
    }

    @Override
    public void onUpdate(Event.Update update) {
        log.add("UPDATE:" + update.getStatus().getTaskId().getValue());
    }

    @Override
    public void onMessage(Event.Message message) {
        log.add("MESSAGE");
    }

    @Override
    public void onFailure(Event.Failure failure) {
        log.add("FAILURE");
    }

    @Override
    public void onHeartbeat() {
        heartbeats.incrementAndGet();
    }

    @Override
    public void onDisconnected(String reason) {
        disconnects.add(reason);
        log.add("DISCONNECTED:" + reason);
    }

    @Override
    public void onError(String message) {
        errors.add(message);
        log.add("ERROR:" + message);
    }

    static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for: " + what);
            }
        }
    }
}
