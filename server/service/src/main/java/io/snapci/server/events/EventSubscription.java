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
 * opens while the run moves. Every event carries its {@link StreamPosition} as its id; a subscription opened with
 * the position of the last event a client received goes on right after it: the reports it missed are replayed from
 * the run's {@link EventJournal}, and the phases it had are not sent again. Log lines beyond {@link #MAX_PENDING}
 * unsent items are dropped (and counted) rather than letting a slow client grow the server's memory; phase changes
 * are never dropped.
 */
public final class EventSubscription implements AutoCloseable {

    static final int MAX_PENDING = 10_000;
    static final int MAX_LINE = 4096;
    /** The seq of the run's state read when a resumed stream starts: not a report of the journal. */
    private static final long CURRENT = -1;

    private final String runId;
    private final RunEvents owner;
    private final String epoch;
    private final BlockingQueue<Reported.Numbered> pending = new LinkedBlockingQueue<>();
    private final AtomicLong dropped = new AtomicLong();
    private long lastSeq;
    private int phasesSent;
    private TestCounts testsSent;
    private boolean ended;
    /** The replay holds every status change since the client's position: the run's state comes from it. */
    private boolean replayed;
    private String resumeNote;

    EventSubscription(String runId, RunEvents owner, String epoch) {
        this.runId = runId;
        this.owner = owner;
        this.epoch = epoch;
    }

    public String runId() {
        return runId;
    }

    /** Called under the journal's lock, in seq order. */
    void offer(Reported.Numbered report) {
        if (!report.item().droppable() || pending.size() < MAX_PENDING) {
            pending.add(report);
        } else {
            dropped.incrementAndGet();
        }
    }

    /**
     * Where this subscription starts: from the journal's head, or right after a client's position. Called by the
     * journal under its lock, before any live report is offered.
     */
    void startAt(EventJournal.Replay replay, StreamPosition resumed) {
        lastSeq = replay.head();
        if (resumed == null) {
            return;
        }
        phasesSent = resumed.phases();
        if (resumed.epoch().equals(epoch) && resumed.seq() <= replay.head()) {
            lastSeq = resumed.seq();
            replayed = true;
            replay.reports().forEach(pending::add);
            dropped.addAndGet(replay.lost());
            if (replay.lost() > 0) {
                resumeNote = replay.lost() + " lines of test output written while disconnected are no longer held"
                        + " for the stream; the whole output: GET /v1/runs/" + runId + "/logs";
            }
        } else {
            resumeNote = "the stream resumes on another snapci process than it left (a restart or a new leader):"
                    + " test output written meanwhile is not replayed; the whole output: GET /v1/runs/" + runId
                    + "/logs";
        }
    }

    /** The events for the run as it is now; call once, first, with the run read after subscribing. */
    public List<RunEvent> start(RunStatus current) {
        List<RunEvent> events = new ArrayList<>();
        events.add(event("status", current));
        if (resumeNote != null) {
            events.add(event("progress", Map.of("note", resumeNote)));
        }
        if (replayed) {
            // After what is replayed and what came meanwhile, in the order it was read: the run's state as it is
            // then comes after the lines written before it (the end included, should the run have ended).
            pending.add(new Reported.Numbered(CURRENT, new Reported.Status(current)));
        } else {
            events.addAll(fromStatus(current));
        }
        return events;
    }

    /** The next events, waiting at most {@code wait}; empty when nothing happened meanwhile. */
    public List<RunEvent> next(Duration wait) throws InterruptedException {
        List<RunEvent> events = new ArrayList<>();
        if (ended) {
            return events;
        }
        Reported.Numbered first = pending.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
        if (first == null) {
            return events;
        }
        List<Reported.Numbered> reports = new ArrayList<>(List.of(first));
        pending.drainTo(reports, 500);
        for (Reported.Numbered report : reports) {
            if (ended) {
                break;
            }
            if (report.seq() != CURRENT) {
                if (report.seq() <= lastSeq) {
                    continue;  // replayed and offered live both, while attaching
                }
                lastSeq = report.seq();
            }
            if (report.item() instanceof Reported.Status s) {
                events.addAll(fromStatus(s.status()));
            } else if (report.item() instanceof Reported.Note n) {
                events.add(event("progress", Map.of("note", bounded(n.note()))));
            } else if (report.item() instanceof Reported.Log l) {
                events.add(event("log", Map.of("stream", l.stderr() ? "stderr" : "stdout",
                        "line", bounded(l.line()))));
            }
        }
        return events;
    }

    public boolean ended() {
        return ended;
    }

    private RunEvent event(String name, Object data) {
        return new RunEvent(name, data, new StreamPosition(epoch, lastSeq, phasesSent).id());
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
            phasesSent = i + 1;
            events.add(event("phase", phase));
        }
        if (status.tests() != null && !Objects.equals(status.tests(), testsSent)) {
            testsSent = status.tests();
            events.add(event("tests", testCounts(status.tests())));
        }
        if (status.phase().isTerminal()) {
            Map<String, Object> end = new LinkedHashMap<>();
            end.put("phase", status.phase());
            end.put("message", status.message());
            end.put("cleanedUp", status.cleanedUp());
            end.put("droppedLogLines", dropped.get());
            events.add(event("end", end));
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
