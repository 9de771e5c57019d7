package io.snapci.server.events;

import io.snapci.model.RunStatus;
import io.snapci.model.TestCounts;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One client's view of one run, as a sequence of {@link RunEvent}s: first the run as it is ({@code status}, then a
 * {@code phase} event per phase it has been through), then what happens to it, ending with {@code end} at its
 * terminal phase. Phases come from the run's history, so none is missed or repeated even when the subscription
 * opens while the run moves. Log lines beyond {@link #MAX_PENDING} unsent items are dropped (and counted) rather
 * than letting a slow client grow the server's memory; phase changes are never dropped.
 */
public final class EventSubscription implements AutoCloseable {

    static final int MAX_PENDING = 10_000;
    static final int MAX_LINE = 4096;

    private sealed interface Item permits StatusItem, NoteItem, LogItem {
    }

    private record StatusItem(RunStatus status) implements Item {
    }

    private record NoteItem(String note) implements Item {
    }

    private record LogItem(String line, boolean stderr) implements Item {
    }

    private final String runId;
    private final RunEvents owner;
    private final BlockingQueue<Item> pending = new LinkedBlockingQueue<>();
    private final AtomicLong dropped = new AtomicLong();
    private int phasesSent;
    private TestCounts testsSent;
    private boolean ended;

    EventSubscription(String runId, RunEvents owner) {
        this.runId = runId;
        this.owner = owner;
    }

    public String runId() {
        return runId;
    }

    void offerStatus(RunStatus status) {
        pending.add(new StatusItem(status));
    }

    void offerProgress(String note) {
        offerBounded(new NoteItem(note));
    }

    void offerLog(String line, boolean stderr) {
        offerBounded(new LogItem(line, stderr));
    }

    private void offerBounded(Item item) {
        if (pending.size() < MAX_PENDING) {
            pending.add(item);
        } else {
            dropped.incrementAndGet();
        }
    }

    /** The events for the run as it is now; call once, first, with the run read after subscribing. */
    public List<RunEvent> start(RunStatus current) {
        List<RunEvent> events = new ArrayList<>();
        events.add(new RunEvent("status", current));
        events.addAll(fromStatus(current));
        return events;
    }

    /** The next events, waiting at most {@code wait}; empty when nothing happened meanwhile. */
    public List<RunEvent> next(Duration wait) throws InterruptedException {
        List<RunEvent> events = new ArrayList<>();
        if (ended) {
            return events;
        }
        Item first = pending.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
        if (first == null) {
            return events;
        }
        List<Item> items = new ArrayList<>(List.of(first));
        pending.drainTo(items, 500);
        for (Item item : items) {
            if (ended) {
                break;
            }
            if (item instanceof StatusItem s) {
                events.addAll(fromStatus(s.status()));
            } else if (item instanceof NoteItem n) {
                events.add(new RunEvent("progress", Map.of("note", bounded(n.note()))));
            } else if (item instanceof LogItem l) {
                events.add(new RunEvent("log", Map.of("stream", l.stderr() ? "stderr" : "stdout",
                        "line", bounded(l.line()))));
            }
        }
        return events;
    }

    public boolean ended() {
        return ended;
    }

    private List<RunEvent> fromStatus(RunStatus status) {
        List<RunEvent> events = new ArrayList<>();
        List<RunStatus.PhaseChange> history = status.history();
        for (int i = phasesSent; i < history.size(); i++) {
            Map<String, Object> phase = new LinkedHashMap<>();
            phase.put("phase", history.get(i).phase());
            phase.put("at", history.get(i).at().toString());
            if (i == history.size() - 1 && status.message() != null) {
                phase.put("message", status.message());
            }
            events.add(new RunEvent("phase", phase));
        }
        phasesSent = Math.max(phasesSent, history.size());
        if (status.tests() != null && !Objects.equals(status.tests(), testsSent)) {
            testsSent = status.tests();
            events.add(new RunEvent("tests", testCounts(status.tests())));
        }
        if (status.phase().isTerminal()) {
            Map<String, Object> end = new LinkedHashMap<>();
            end.put("phase", status.phase());
            end.put("message", status.message());
            end.put("cleanedUp", status.cleanedUp());
            end.put("droppedLogLines", dropped.get());
            events.add(new RunEvent("end", end));
            ended = true;
        }
        return events;
    }

    private static Map<String, Object> testCounts(TestCounts counts) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("tests", counts.tests());
        data.put("passed", counts.passed());
        data.put("failures", counts.failures());
        data.put("errors", counts.errors());
        data.put("skipped", counts.skipped());
        data.put("summary", counts.summary());
        return data;
    }

    private static String bounded(String line) {
        return line.length() <= MAX_LINE ? line : line.substring(0, MAX_LINE) + "...";
    }

    @Override
    public void close() {
        owner.unsubscribe(this);
    }
}
