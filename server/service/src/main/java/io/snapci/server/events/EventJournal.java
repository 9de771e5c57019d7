package io.snapci.server.events;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;

/**
 * What one run reported on this server, numbered, and who follows it: the journal a stream that broke resumes
 * from. Every status change is kept (they carry the phases); notes and log lines are kept up to
 * {@link #MAX_DROPPABLE} of them and {@link #MAX_DROPPABLE_CHARS} characters, the oldest dropped first, so a run that
 * writes gigabytes of output costs the server about a megabyte. A report is numbered and handed to the subscribers
 * under one lock, and a subscriber is attached under it too: a resuming stream gets everything after its position,
 * once, whatever happens meanwhile.
 */
final class EventJournal {

    static final int MAX_DROPPABLE = 10_000;
    static final int MAX_DROPPABLE_CHARS = 500_000;

    private final ArrayDeque<Reported.Numbered> entries = new ArrayDeque<>();
    private final Set<EventSubscription> subscribers = new CopyOnWriteArraySet<>();
    private long head;
    /** The newest seq of a dropped note or line: every note and line up to it is gone. */
    private long lastDroppedSeq;
    private int droppable;
    private long droppableChars;
    private volatile long endedAtNanos;

    /** What a stream attached at a position gets first: the reports after it, and how many lines it cannot get. */
    record Replay(List<Reported.Numbered> reports, long lost, long head) {
    }

    synchronized void append(Reported item) {
        Reported.Numbered numbered = new Reported.Numbered(++head, item);
        entries.addLast(numbered);
        if (item.droppable()) {
            droppable++;
            droppableChars += size(item);
            trim();
        }
        subscribers.forEach(s -> s.offer(numbered));
    }

    /**
     * Attaches a subscriber. Resuming from {@code after} (a seq of this journal), it gets the reports after it;
     * otherwise (null) only what comes from now on. The subscriber is started (handed its replay) before it is
     * added, under the lock: no report can reach it ahead of the ones replayed.
     */
    synchronized void attach(EventSubscription subscriber, Long after, StreamPosition resumed) {
        subscriber.startAt(replay(after), resumed);
        subscribers.add(subscriber);
    }

    private Replay replay(Long after) {
        if (after == null || after > head) {
            return new Replay(List.of(), 0, head);
        }
        List<Reported.Numbered> replay = new ArrayList<>();
        long keptUpToDropped = 0;
        for (Reported.Numbered entry : entries) {
            if (entry.seq() > after) {
                replay.add(entry);
                if (entry.seq() <= lastDroppedSeq) {
                    keptUpToDropped++;
                }
            }
        }
        long lost = after < lastDroppedSeq ? lastDroppedSeq - after - keptUpToDropped : 0;
        return new Replay(replay, lost, head);
    }

    void detach(EventSubscription subscriber) {
        subscribers.remove(subscriber);
    }

    boolean hasSubscribers() {
        return !subscribers.isEmpty();
    }

    int subscriberCount() {
        return subscribers.size();
    }

    /** Nothing reported and nobody following: a stream asked for a run that reported nothing here. */
    synchronized boolean idle() {
        return head == 0 && subscribers.isEmpty();
    }

    void ended(long nanos) {
        endedAtNanos = nanos;
    }

    /** Whether the run ended more than {@code graceNanos} before {@code now}. */
    boolean expired(long now, long graceNanos) {
        long ended = endedAtNanos;
        return ended != 0 && now - ended > graceNanos;
    }

    private void trim() {
        Iterator<Reported.Numbered> oldest = entries.iterator();
        while ((droppable > MAX_DROPPABLE || droppableChars > MAX_DROPPABLE_CHARS) && oldest.hasNext()) {
            Reported.Numbered entry = oldest.next();
            if (entry.item().droppable()) {
                oldest.remove();
                droppable--;
                droppableChars -= size(entry.item());
                lastDroppedSeq = entry.seq();
            }
        }
    }

    private static long size(Reported item) {
        return item instanceof Reported.Log log ? log.line().length()
                : item instanceof Reported.Note note ? note.note().length() : 0;
    }
}
