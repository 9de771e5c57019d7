package io.snapci.scheduler.core.testkit;

import io.snapci.scheduler.core.state.RunStore;

import io.snapci.model.RunStatus;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Keeps runs in memory: for tests and one-shot CLI runs that need no history. */
public final class InMemoryRunStore implements RunStore {

    private final Map<String, RunStatus> runs = new ConcurrentHashMap<>();

    @Override
    public void save(RunStatus run) {
        runs.put(run.id(), run);
    }

    @Override
    public Optional<RunStatus> find(String runId) {
        return Optional.ofNullable(runs.get(runId));
    }

    @Override
    public List<RunStatus> list() {
        return runs.values().stream().sorted(Comparator.comparing(RunStatus::createdAt)).toList();
    }
}
