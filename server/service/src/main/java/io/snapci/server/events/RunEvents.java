package io.snapci.server.events;

import io.snapci.model.RunStatus;
import io.snapci.scheduler.core.run.RunObserver;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;

/**
 * The one observer of the run service that event streams hang off: it hands what each run reports to the
 * subscriptions open on that run, and to no one else.
 */
public final class RunEvents implements RunObserver {

    private final Map<String, Set<EventSubscription>> byRun = new ConcurrentHashMap<>();

    /** Opens a subscription on a run; what the run reports from now on is queued in it. Close it when done. */
    public EventSubscription subscribe(String runId) {
        EventSubscription subscription = new EventSubscription(runId, this);
        byRun.computeIfAbsent(runId, id -> new CopyOnWriteArraySet<>()).add(subscription);
        return subscription;
    }

    void unsubscribe(EventSubscription subscription) {
        byRun.computeIfPresent(subscription.runId(), (id, subs) -> {
            subs.remove(subscription);
            return subs.isEmpty() ? null : subs;
        });
    }

    public int openSubscriptions() {
        return byRun.values().stream().mapToInt(Set::size).sum();
    }

    @Override
    public void onStatus(RunStatus status) {
        forRun(status.id()).forEach(s -> s.offerStatus(status));
    }

    @Override
    public void onProgress(String runId, String note) {
        forRun(runId).forEach(s -> s.offerProgress(note));
    }

    @Override
    public void onTestOutput(String runId, String line, boolean stderr) {
        forRun(runId).forEach(s -> s.offerLog(line, stderr));
    }

    private Set<EventSubscription> forRun(String runId) {
        return byRun.getOrDefault(runId, Set.of());
    }
}
