package io.snapci.scheduler.core.testkit;

import io.snapci.scheduler.core.state.RunStore;

import io.snapci.model.Phase;
import io.snapci.model.RunSpec;
import io.snapci.model.RunStatus;
import io.snapci.model.Source;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** What every RunStore does; each implementation's test extends this. */
public abstract class RunStoreContract {

    protected abstract RunStore store();

    private static RunStatus run(String id, Instant at) {
        return RunStatus.queued(id, new RunSpec(Source.dataDir("/data"), "mvn test", null, null, Map.of("A", "1"),
                "target/*.xml", null, null, Map.of("job", "7")), at);
    }

    @Test
    void findsWhatWasSaved() {
        RunStore store = store();
        RunStatus saved = run("r1", Instant.parse("2026-11-25T06:00:00Z"));
        store.save(saved);
        assertThat(store.find("r1")).contains(saved);
        assertThat(store.find("nope")).isEmpty();
    }

    @Test
    void aSaveReplacesTheRunsPreviousRecord() {
        RunStore store = store();
        RunStatus queued = run("r1", Instant.parse("2026-11-25T06:00:00Z"));
        store.save(queued);
        RunStatus moved = queued.withPhase(Phase.SNAPSHOTTING, "copying", Instant.parse("2026-11-25T06:00:01Z"));
        store.save(moved);
        assertThat(store.find("r1")).contains(moved);
        assertThat(store.list()).hasSize(1);
    }

    @Test
    void listsOldestFirst() {
        RunStore store = store();
        store.save(run("b", Instant.parse("2026-11-25T06:00:02Z")));
        store.save(run("a", Instant.parse("2026-11-25T06:00:01Z")));
        store.save(run("c", Instant.parse("2026-11-25T06:00:03Z")));
        assertThat(store.list()).extracting(RunStatus::id).containsExactly("a", "b", "c");
    }
}
