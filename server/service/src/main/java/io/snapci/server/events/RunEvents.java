package io.snapci.server.events;

import io.snapci.model.RunStatus;
import io.snapci.scheduler.core.run.RunObserver;

import java.security.SecureRandom;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The one observer of the run service that event streams hang off: it numbers what each run reports in the run's
 * {@link EventJournal} and hands it to the subscriptions open on that run, and to no one else. A journal is kept
 * while its run is live and for {@link #ENDED_GRACE_MINUTES} minutes after it ended, so that a client that lost the
 * stream near the end still gets the last lines; it lives in this process only (an event id names the process's
 * {@code epoch}, and a resume on another process says so instead of replaying).
 */
public final class RunEvents implements RunObserver {

    static final long ENDED_GRACE_MINUTES = 10;

    private final Map<String, EventJournal> journals = new ConcurrentHashMap<>();
    private final String epoch = Long.toString(System.currentTimeMillis(), 36)
            + Integer.toString(new SecureRandom().nextInt(36 * 36 * 36), 36);

    /** Opens a subscription on a run; what the run reports from now on is queued in it. Close it when done. */
    public EventSubscription subscribe(String runId) {
        return subscribe(runId, null);
    }

    /**
     * Opens a subscription that goes on after {@code resumed} (the Last-Event-ID a client sent back), or, when that
     * is null, from now on.
     */
    public EventSubscription subscribe(String runId, StreamPosition resumed) {
        sweep();
        EventSubscription subscription = new EventSubscription(runId, this, epoch);
        Long after = resumed != null && resumed.epoch().equals(epoch) ? resumed.seq() : null;
        journal(runId).attach(subscription, after, resumed);
        return subscription;
    }

    void unsubscribe(EventSubscription subscription) {
        EventJournal journal = journals.get(subscription.runId());
        if (journal != null) {
            journal.detach(subscription);
            // A stream on an unknown run (or one that reported nothing here) leaves nothing behind.
            journals.computeIfPresent(subscription.runId(), (id, j) -> j.idle() ? null : j);
        }
    }

    public int openSubscriptions() {
        return journals.values().stream().mapToInt(EventJournal::subscriberCount).sum();
    }

    @Override
    public void onStatus(RunStatus status) {
        EventJournal journal = journal(status.id());
        journal.append(new Reported.Status(status));
        if (status.phase().isTerminal()) {
            journal.ended(System.nanoTime());
        }
        sweep();
    }

    @Override
    public void onProgress(String runId, String note) {
        journal(runId).append(new Reported.Note(note));
    }

    @Override
    public void onTestOutput(String runId, String line, boolean stderr) {
        journal(runId).append(new Reported.Log(line, stderr));
    }

    private EventJournal journal(String runId) {
        return journals.computeIfAbsent(runId, id -> new EventJournal());
    }

    /** Forgets the journals of runs that ended long enough ago and that nobody follows. */
    private void sweep() {
        long now = System.nanoTime();
        journals.entrySet().removeIf(e -> e.getValue().expired(now, TimeUnit.MINUTES.toNanos(ENDED_GRACE_MINUTES))
                && !e.getValue().hasSubscribers());
    }
}
