package io.snapci.server.events;

import io.snapci.model.Phase;
import io.snapci.model.RunSpec;
import io.snapci.model.RunStatus;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Event ids and resumption, unit by unit: the journal's bounds and what a resumed subscription sends. */
class EventResumeTest {

    private static final String RUN = "r20261203-070000-00aa";
    private static final Instant T0 = Instant.parse("2026-12-03T07:00:00Z");

    private final RunEvents events = new RunEvents();
    private RunStatus run = RunStatus.queued(RUN, new RunSpec(null, "true", null, null, null, null, null, null, null), T0);

    /** Moves the run along the happy path to {@code phase}, reporting each phase it goes through. */
    private void status(Phase phase) {
        while (run.phase() != phase) {
            Phase next = run.phase().canMoveTo(phase) ? phase : Phase.values()[run.phase().ordinal() + 1];
            run = run.withPhase(next, next.name().toLowerCase(), T0.plusSeconds(run.history().size()));
            events.onStatus(run);
        }
    }

    private static List<RunEvent> drain(EventSubscription subscription) throws InterruptedException {
        List<RunEvent> all = new ArrayList<>();
        for (List<RunEvent> next = subscription.next(Duration.ZERO); !next.isEmpty(); next = subscription.next(Duration.ZERO)) {
            all.addAll(next);
        }
        return all;
    }

    private static List<String> lines(List<RunEvent> events) {
        return events.stream().filter(e -> e.name().equals("log"))
                .map(e -> (String) ((Map<?, ?>) e.data()).get("line")).toList();
    }

    @Test
    void everyEventCarriesThePositionAClientResumesFromAndAResumeSendsOnlyWhatCameAfter() throws Exception {
        events.onStatus(run);
        status(Phase.STARTING_CASSANDRA);
        EventSubscription first = events.subscribe(RUN);
        List<RunEvent> seen = new ArrayList<>(first.start(run));
        status(Phase.TESTING);
        events.onTestOutput(RUN, "one", false);
        events.onTestOutput(RUN, "two", true);
        seen.addAll(drain(first));
        assertThat(seen).allSatisfy(e -> assertThat(StreamPosition.parse(e.id())).isNotNull());
        assertThat(lines(seen)).containsExactly("one", "two");
        String lastId = seen.get(seen.size() - 1).id();
        first.close();

        events.onTestOutput(RUN, "three", false);
        status(Phase.PASSED);
        EventSubscription resumed = events.subscribe(RUN, StreamPosition.parse(lastId));
        List<RunEvent> after = new ArrayList<>(resumed.start(run));
        after.addAll(drain(resumed));
        assertThat(after).extracting(RunEvent::name).containsExactly("status", "log", "phase", "end");
        assertThat(lines(after)).containsExactly("three");
        assertThat(((Map<?, ?>) after.get(2).data()).get("phase")).isEqualTo(Phase.PASSED);
        assertThat(((Map<?, ?>) after.get(3).data()).get("droppedLogLines")).isEqualTo(0L);
        assertThat(resumed.ended()).isTrue();
    }

    @Test
    void aResumeFromTheLastPhaseStillGetsTheEndThatFollowedIt() throws Exception {
        events.onStatus(run);
        status(Phase.PASSED);
        EventSubscription first = events.subscribe(RUN);
        List<RunEvent> seen = first.start(run);
        RunEvent lastPhase = seen.stream().filter(e -> e.name().equals("phase")).reduce((a, b) -> b).orElseThrow();
        first.close();
        EventSubscription resumed = events.subscribe(RUN, StreamPosition.parse(lastPhase.id()));
        List<RunEvent> after = new ArrayList<>(resumed.start(run));
        after.addAll(drain(resumed));
        assertThat(after).extracting(RunEvent::name).containsExactly("status", "end");
    }

    @Test
    void linesTheJournalNoLongerHoldsAreCountedAndSaid() throws Exception {
        events.onStatus(run);
        status(Phase.TESTING);
        EventSubscription first = events.subscribe(RUN);
        String lastId = first.start(run).get(0).id();
        first.close();
        int written = EventJournal.MAX_DROPPABLE + 25;
        for (int i = 1; i <= written; i++) {
            events.onTestOutput(RUN, "l" + i, false);
        }
        status(Phase.FAILED);
        EventSubscription resumed = events.subscribe(RUN, StreamPosition.parse(lastId));
        List<RunEvent> after = new ArrayList<>(resumed.start(run));
        after.addAll(drain(resumed));
        List<String> lines = lines(after);
        assertThat(lines).hasSize(EventJournal.MAX_DROPPABLE).startsWith("l26").endsWith("l" + written);
        assertThat(after.get(1).name()).isEqualTo("progress");
        assertThat((String) ((Map<?, ?>) after.get(1).data()).get("note")).startsWith("25 lines of test output");
        RunEvent end = after.get(after.size() - 1);
        assertThat(end.name()).isEqualTo("end");
        assertThat(((Map<?, ?>) end.data()).get("droppedLogLines")).isEqualTo(25L);
    }

    @Test
    void anIdOfAnotherProcessKeepsItsPhasesButReplaysNothingAndSaysSo() throws Exception {
        events.onStatus(run);
        status(Phase.STARTING_CASSANDRA);
        status(Phase.TESTING);
        events.onTestOutput(RUN, "not replayed", false);
        EventSubscription resumed = events.subscribe(RUN, new StreamPosition("otherprocess", 3, 4));
        List<RunEvent> after = new ArrayList<>(resumed.start(run));
        after.addAll(drain(resumed));
        assertThat(after).extracting(RunEvent::name).containsExactly("status", "progress", "phase");
        assertThat(((Map<?, ?>) after.get(2).data()).get("phase")).isEqualTo(Phase.TESTING);
        assertThat(lines(after)).isEmpty();
    }

    @Test
    void aResumeWhileLinesKeepComingContinuesExactlyAfterItsPosition() throws Exception {
        events.onStatus(run);
        status(Phase.TESTING);
        int total = 6000;
        Thread writer = new Thread(() -> {
            for (int i = 1; i <= total; i++) {
                events.onTestOutput(RUN, "l" + i, false);
                if (i % 50 == 0) {
                    Thread.yield();
                }
            }
        });
        writer.start();
        EventSubscription current = events.subscribe(RUN);
        current.start(run);
        int expected = -1;
        while (writer.isAlive() || expected < total) {
            List<RunEvent> got = current.next(Duration.ofMillis(200));
            if (got.isEmpty() && !writer.isAlive()) {
                break;
            }
            RunEvent lastLine = null;
            for (RunEvent e : got) {
                if (e.name().equals("log")) {
                    int n = Integer.parseInt(((String) ((Map<?, ?>) e.data()).get("line")).substring(1));
                    if (expected > 0) {
                        assertThat(n).as("the line after l" + (expected - 1)).isEqualTo(expected);
                    }
                    expected = n + 1;
                    lastLine = e;
                }
            }
            if (lastLine != null) {
                // Drop the stream after these lines and resume from the last one, while the writer goes on.
                current.close();
                current = events.subscribe(RUN, StreamPosition.parse(lastLine.id()));
                current.start(run);
            }
        }
        writer.join();
        assertThat(expected).as("every line came").isEqualTo(total + 1);
    }

    @Test
    void idsAreParsedStrictly() {
        StreamPosition position = new StreamPosition("kx3a9", 42, 3);
        assertThat(StreamPosition.parse(position.id())).isEqualTo(position);
        assertThat(StreamPosition.parse(null)).isNull();
        assertThat(StreamPosition.parse(" ")).isNull();
        for (String bad : List.of("42", "a-b-c", "kx3a9-42", "KX-1-1", "a-1-1-1", "a-" + "9".repeat(19) + "-1")) {
            assertThatThrownBy(() -> StreamPosition.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void aStreamOnARunThatReportedNothingLeavesNothingBehind() {
        EventSubscription nobody = events.subscribe("r20990101-000000-0000");
        assertThat(events.openSubscriptions()).isEqualTo(1);
        nobody.close();
        assertThat(events.openSubscriptions()).isZero();
    }
}
