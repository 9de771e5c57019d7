package io.snapci.scheduler.local.launch;

import io.snapci.executor.RunProcesses;
import io.snapci.model.RunStatus;
import io.snapci.model.Phase;
import io.snapci.scheduler.core.state.RunStore;
import io.snapci.scheduler.core.storage.Clone;
import io.snapci.scheduler.core.storage.SnapshotDriver;
import io.snapci.scheduler.core.storage.StorageException;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Cleans up after snapci processes that died mid-run (kill -9, a crash): for each run that is not ended and has no
 * live owner, kills the processes it left, deletes its copy and records it as ERROR with what happened; then deletes
 * copies that belong to no live run. Run when snapci starts.
 */
public final class AbandonedRuns {

    /** A QUEUED run this young may be between its submit and its lock in another process: leave it alone. */
    private static final Duration SUBMIT_GRACE = Duration.ofMinutes(1);

    private final RunStore store;
    private final SnapshotDriver driver;
    private final RunLocks locks;
    private final RunProcesses processes;
    private final Clock clock;

    public AbandonedRuns(RunStore store, SnapshotDriver driver, RunLocks locks, RunProcesses processes, Clock clock) {
        this.store = store;
        this.driver = driver;
        this.locks = locks;
        this.processes = processes;
        this.clock = clock;
    }

    /** Cleans up; returns a note for each run or copy it cleaned. */
    public List<String> cleanUp() throws StorageException {
        List<String> notes = new ArrayList<>();
        Map<String, Clone> clonesByRun = driver.listClones().stream()
                .collect(Collectors.toMap(Clone::runId, Function.identity(), (a, b) -> a));
        for (RunStatus run : store.list()) {
            if (run.phase().isTerminal() || tooYoungToJudge(run)) {
                continue;
            }
            Optional<RunLocks.Held> lock = locks.tryHold(run.id());
            if (lock.isEmpty()) {
                continue;  // a live process owns it
            }
            try (RunLocks.Held held = lock.get()) {
                int killed = processes.kill(run.id());
                Clone clone = clonesByRun.remove(run.id());
                if (clone != null) {
                    driver.deleteClone(clone);
                }
                String note = "snapci stopped while run " + run.id() + " was " + run.phase() + "; on restart it killed "
                        + killed + " leftover process(es)" + (clone != null ? " and deleted the copy" : "")
                        + ". Run it again.";
                store.save(run.withPhase(Phase.ERROR, note, clock.instant()).withCleanedUp(true));
                notes.add(note);
            }
        }
        for (Clone orphan : clonesByRun.values()) {
            boolean owned = store.find(orphan.runId()).map(r -> !r.phase().isTerminal()).orElse(false);
            if (!owned) {
                driver.deleteClone(orphan);
                notes.add("deleted the copy " + orphan.id() + " of ended or unknown run " + orphan.runId());
            }
        }
        return notes;
    }

    private boolean tooYoungToJudge(RunStatus run) {
        return run.phase() == Phase.QUEUED && run.createdAt().isAfter(clock.instant().minus(SUBMIT_GRACE));
    }
}
