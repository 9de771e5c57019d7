package io.snapci.scheduler.core.testkit;

import io.snapci.model.ExecutionResult;
import io.snapci.model.Phase;
import io.snapci.model.RunStatus;
import io.snapci.scheduler.core.launch.LaunchListener;
import io.snapci.scheduler.core.launch.Launcher;
import io.snapci.scheduler.core.storage.Clone;
import io.snapci.scheduler.core.storage.SnapshotDriver;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a restarted scheduler finds of one run a previous process had placed: its copy still there, and its tests
 * ended while the scheduler was down. {@link #driver()} lists that copy (and makes none), {@link #launcher()} adopts
 * the run and reports that it passed (and launches nothing), so {@code RunService.resume()} takes the run over to its
 * end through the real store under test.
 */
public final class TakenOverRun {

    private final Map<String, Clone> clones = new ConcurrentHashMap<>();
    private final Set<String> adopted = ConcurrentHashMap.newKeySet();

    /** The copy {@code runId} had, as its record names it. */
    public TakenOverRun(String runId, String cloneId) {
        clones.put(cloneId, new Clone(cloneId, runId, null, null, null, Instant.EPOCH, "copied before the restart"));
    }

    /** The runs the launcher was asked to take over. */
    public Set<String> adopted() {
        return Set.copyOf(adopted);
    }

    /** The copies not deleted (yet). */
    public Set<String> liveClones() {
        return Set.copyOf(clones.keySet());
    }

    public SnapshotDriver driver() {
        return new SnapshotDriver() {
            @Override
            public Clone createClone(String runId, io.snapci.model.Source source) {
                throw new AssertionError("a run taken over after its copy was made must not be copied again");
            }

            @Override
            public void deleteClone(Clone clone) {
                clones.remove(clone.id());
            }

            @Override
            public void releaseForAnotherNode(Clone clone) {
            }

            @Override
            public List<Clone> listClones() {
                return List.copyOf(clones.values());
            }
        };
    }

    public Launcher launcher() {
        return new Launcher() {
            @Override
            public CompletableFuture<ExecutionResult> launch(RunStatus run, Clone clone, LaunchListener listener) {
                throw new AssertionError("a placed run taken over must not be launched again");
            }

            @Override
            public CompletableFuture<ExecutionResult> adopt(RunStatus run, Clone clone, LaunchListener listener) {
                adopted.add(run.id());
                return CompletableFuture.completedFuture(new ExecutionResult(Phase.PASSED,
                        "the tests passed while snapci was restarting", 0, null, null, null, null, null));
            }

            @Override
            public void cancel(String runId) {
                // nothing is running
            }
        };
    }
}
