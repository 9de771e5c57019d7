package io.snapci.scheduler.core.testkit;

import io.snapci.model.Phase;
import io.snapci.model.RunSpec;
import io.snapci.model.RunStatus;
import io.snapci.model.Source;
import io.snapci.scheduler.core.state.RunPage;
import io.snapci.scheduler.core.state.RunStore;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What every RunStore does; each implementation's test extends this (or {@link PersistentRunStoreContract}). */
public abstract class RunStoreContract {

    protected static final Instant MORNING = Instant.parse("2026-11-25T06:00:00Z");
    private static final Predicate<RunStatus> ALL = run -> true;

    protected abstract RunStore store();

    protected static RunStatus queuedRun(String id, Instant at) {
        return RunStatus.queued(id, new RunSpec(Source.dataDir("/data"), "mvn test", null, null, Map.of("A", "1"),
                "target/*.xml", null, null, Map.of("job", "7")), at);
    }

    /** The {@code n}th run of the morning, with an id as {@code RunIds} makes them: they sort by time. */
    protected static RunStatus nth(int n) {
        Instant at = MORNING.plusSeconds(n);
        return queuedRun(String.format("r20261125-06%02d%02d-%04x", n / 60, n % 60, (n * 7919) & 0xffff), at);
    }

    /** The run gone the whole way to {@code phase} (the tests' verdicts through TESTING), its copy deleted. */
    protected static RunStatus ended(RunStatus run, Phase phase) {
        Instant at = run.createdAt();
        RunStatus moved = run;
        if (phase == Phase.PASSED || phase == Phase.FAILED) {
            moved = moved.withPhase(Phase.SNAPSHOTTING, "copying", at).withPhase(Phase.PLACING, "placing", at)
                    .withPhase(Phase.STARTING_CASSANDRA, "booting", at).withPhase(Phase.TESTING, "testing", at);
        }
        return moved.withPhase(phase, "ended " + phase, at.plusSeconds(30)).withCleanedUp(true);
    }

    @Test
    void findsWhatWasSaved() {
        RunStore store = store();
        RunStatus saved = queuedRun("r1", MORNING);
        store.save(saved);
        assertThat(store.find("r1")).contains(saved);
        assertThat(store.find("nope")).isEmpty();
    }

    @Test
    void aSaveReplacesTheRunsPreviousRecord() {
        RunStore store = store();
        RunStatus queued = queuedRun("r1", MORNING);
        store.save(queued);
        RunStatus moved = queued.withPhase(Phase.SNAPSHOTTING, "copying", MORNING.plusSeconds(1));
        store.save(moved);
        assertThat(store.find("r1")).contains(moved);
        assertThat(store.list()).hasSize(1);
    }

    @Test
    void listsOldestFirst() {
        RunStore store = store();
        store.save(queuedRun("b", MORNING.plusSeconds(2)));
        store.save(queuedRun("a", MORNING.plusSeconds(1)));
        store.save(queuedRun("c", MORNING.plusSeconds(3)));
        assertThat(store.list()).extracting(RunStatus::id).containsExactly("a", "b", "c");
    }

    @Test
    void theUnfinishedRunsAreThoseThatHaveNotEndedOldestFirst() {
        RunStore store = store();
        RunStatus passed = nth(1);
        RunStatus testing = nth(2);
        RunStatus queued = nth(3);
        RunStatus deleted = nth(4);
        for (RunStatus run : List.of(passed, testing, queued, deleted)) {
            store.save(run);
        }
        assertThat(store.unfinished()).extracting(RunStatus::id)
                .containsExactly(passed.id(), testing.id(), queued.id(), deleted.id());
        store.save(ended(passed, Phase.PASSED));
        RunStatus moved = testing.withPhase(Phase.SNAPSHOTTING, "copying", MORNING);
        store.save(moved);
        store.save(ended(deleted, Phase.ERROR));
        store.delete(deleted.id());

        assertThat(store.unfinished()).containsExactly(moved, queued);
    }

    @Test
    void pagesWalkEveryRunNewestFirstAndSayWhenThereAreNoMore() {
        RunStore store = store();
        List<String> newestFirst = new ArrayList<>();
        for (int n = 0; n < 7; n++) {
            RunStatus run = nth(n);
            store.save(run);
            newestFirst.add(0, run.id());
        }

        RunPage first = store.page(null, 3, ALL);
        assertThat(first.runs()).extracting(RunStatus::id).containsExactlyElementsOf(newestFirst.subList(0, 3));
        assertThat(first.next()).isEqualTo(newestFirst.get(2));
        RunPage second = store.page(first.next(), 3, ALL);
        assertThat(second.runs()).extracting(RunStatus::id).containsExactlyElementsOf(newestFirst.subList(3, 6));
        RunPage last = store.page(second.next(), 3, ALL);
        assertThat(last.runs()).extracting(RunStatus::id).containsExactly(newestFirst.get(6));
        assertThat(last.hasNext()).isFalse();

        RunPage exact = store.page(null, 7, ALL);
        assertThat(exact.runs()).hasSize(7);
        assertThat(exact.next()).as("no next page when the last run fits exactly").isNull();
    }

    @Test
    void aFilteredPageHoldsOnlyMatchingRunsAndANextOnlyWhenAnotherOneMatches() {
        RunStore store = store();
        List<String> passedNewestFirst = new ArrayList<>();
        for (int n = 0; n < 10; n++) {
            RunStatus run = n % 3 == 0 ? ended(nth(n), Phase.PASSED) : nth(n);
            store.save(run);
            if (run.phase() == Phase.PASSED) {
                passedNewestFirst.add(0, run.id());
            }
        }
        Predicate<RunStatus> passed = run -> run.phase() == Phase.PASSED;

        RunPage first = store.page(null, 2, passed);
        assertThat(first.runs()).extracting(RunStatus::id).containsExactlyElementsOf(passedNewestFirst.subList(0, 2));
        assertThat(first.hasNext()).isTrue();
        RunPage second = store.page(first.next(), 2, passed);
        assertThat(second.runs()).extracting(RunStatus::id).containsExactlyElementsOf(passedNewestFirst.subList(2, 4));
        assertThat(second.hasNext()).as("the runs older than the last match match nothing").isFalse();
        assertThat(store.page(null, 5, run -> false).runs()).isEmpty();
    }

    @Test
    void aPageGoesOnWhenTheRunItStartsAfterWasDeleted() {
        RunStore store = store();
        for (int n = 0; n < 4; n++) {
            store.save(ended(nth(n), Phase.PASSED));
        }
        RunPage first = store.page(null, 2, ALL);
        assertThat(store.delete(first.next())).isTrue();
        assertThat(store.page(first.next(), 2, ALL).runs()).extracting(RunStatus::id)
                .containsExactly(nth(1).id(), nth(0).id());
    }

    @Test
    void aPageOfNoRunsIsRefused() {
        RunStore store = store();
        assertThatThrownBy(() -> store.page(null, 0, ALL)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anEndedRunCanBeDeletedAndIsThenGoneEverywhere() {
        RunStore store = store();
        RunStatus kept = ended(nth(1), Phase.FAILED);
        RunStatus old = ended(nth(0), Phase.PASSED);
        store.save(kept);
        store.save(old);

        assertThat(store.delete(old.id())).isTrue();
        assertThat(store.find(old.id())).isEmpty();
        assertThat(store.list()).containsExactly(kept);
        assertThat(store.page(null, 10, ALL).runs()).containsExactly(kept);
        assertThat(store.delete(old.id())).as("deleting what is gone").isFalse();
        assertThat(store.delete("no-such-run")).isFalse();
    }

    @Test
    void aRunThatHasNotEndedIsNeverDeleted() {
        RunStore store = store();
        RunStatus testing = nth(0).withPhase(Phase.SNAPSHOTTING, null, MORNING)
                .withPhase(Phase.PLACING, null, MORNING).withPhase(Phase.STARTING_CASSANDRA, null, MORNING)
                .withPhase(Phase.TESTING, null, MORNING);
        RunStatus queued = nth(1);
        store.save(testing);
        store.save(queued);

        for (RunStatus live : List.of(testing, queued)) {
            assertThatThrownBy(() -> store.delete(live.id()))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining(live.id()).hasMessageContaining("has not ended");
            assertThat(store.find(live.id())).contains(live);
        }
    }
}
