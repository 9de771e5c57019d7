package io.snapci.scheduler.core.run;

import io.snapci.model.ExecutionResult;
import io.snapci.model.Phase;
import io.snapci.model.Placement;
import io.snapci.model.RunStatus;
import io.snapci.scheduler.core.launch.LaunchListener;
import io.snapci.scheduler.core.launch.Launcher;
import io.snapci.scheduler.core.storage.Clone;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/** A launcher that reports the usual phases, then ends as a script says; or waits until cancelled. */
final class FakeLauncher implements Launcher {

    private final Function<String, ExecutionResult> ending;
    private final boolean waitForCancel;
    final ConcurrentHashMap<String, CompletableFuture<ExecutionResult>> launched = new ConcurrentHashMap<>();
    final ConcurrentHashMap<String, RunStatus> adopted = new ConcurrentHashMap<>();

    private boolean loseFirstAttempt;
    /** Runs as a launch or adoption begins, before this launcher knows the run (a cancel then stops nothing here). */
    volatile Runnable beforeKnowingTheRun = () -> { };

    private FakeLauncher(Function<String, ExecutionResult> ending, boolean waitForCancel) {
        this.ending = ending;
        this.waitForCancel = waitForCancel;
    }

    /** The first attempt's machine is lost after placement; the second attempt ends with {@code result}. */
    static FakeLauncher losingTheFirstAttemptThenEndingWith(ExecutionResult result) {
        FakeLauncher launcher = new FakeLauncher(id -> result, false);
        launcher.loseFirstAttempt = true;
        return launcher;
    }

    static FakeLauncher endingWith(ExecutionResult result) {
        return new FakeLauncher(id -> result, false);
    }

    static FakeLauncher runningUntilCancelled() {
        return new FakeLauncher(id -> ExecutionResult.cancelled("killed"), true);
    }

    @Override
    public CompletableFuture<ExecutionResult> launch(RunStatus run, Clone clone, LaunchListener listener) {
        beforeKnowingTheRun.run();
        listener.onPlaced(new Placement("fake-agent", "fake-host", 1));
        if (loseFirstAttempt) {
            listener.onNewAttempt(2);
            listener.onPlaced(new Placement("other-agent", "other-host", 2));
        }
        listener.onPhase(Phase.STARTING_CASSANDRA, "booting");
        listener.onCassandraReady(1234);
        listener.onPhase(Phase.TESTING, "testing");
        listener.onTestOutput("a line", false);
        CompletableFuture<ExecutionResult> future = new CompletableFuture<>();
        launched.put(run.id(), future);
        if (!waitForCancel) {
            future.complete(ending.apply(run.id()));
        }
        return future;
    }

    @Override
    public CompletableFuture<ExecutionResult> adopt(RunStatus run, Clone clone, LaunchListener listener) {
        beforeKnowingTheRun.run();
        adopted.put(run.id(), run);
        if (waitForCancel) {
            CompletableFuture<ExecutionResult> future = new CompletableFuture<>();
            launched.put(run.id(), future);
            return future;
        }
        return CompletableFuture.completedFuture(ending.apply(run.id()));
    }

    @Override
    public void cancel(String runId) {
        CompletableFuture<ExecutionResult> future = launched.get(runId);
        if (future != null) {
            future.complete(ending.apply(runId));
        }
    }
}
