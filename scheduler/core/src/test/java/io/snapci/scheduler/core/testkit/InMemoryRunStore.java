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
    public synchronized void save(RunStatus run) {
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

    @Override
    public synchronized boolean delete(String runId) {
        RunStatus run = runs.get(runId);
        if (run == null) {
            return false;
        }
        if (!run.phase().isTerminal()) {
            throw new IllegalStateException("run " + runId + " is " + run.phase() + " and has not ended: kept");
        }
        return runs.remove(runId, run);
    }
}
