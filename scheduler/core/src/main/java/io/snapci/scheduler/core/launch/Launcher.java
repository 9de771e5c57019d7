package io.snapci.scheduler.core.launch;

import io.snapci.model.ExecutionResult;
import io.snapci.model.RunStatus;
import io.snapci.scheduler.core.storage.Clone;

import java.util.concurrent.CompletableFuture;

/**
 * Places a run where its copy can be mounted and executes it there: Cassandra on the copy, the tests against it.
 * Local mode runs it on this machine; a cluster runs it as a Mesos task group on an agent of the CI tier.
 */
public interface Launcher {

    /**
     * Starts the run on {@code clone}. The future completes with how the execution ended, never exceptionally
     * for the tests' own failures; progress is reported to {@code listener} as it happens.
     */
    CompletableFuture<ExecutionResult> launch(RunStatus run, Clone clone, LaunchListener listener);

    /**
     * Takes over a run that a previous scheduler process launched (after a restart): finds out what became of its
     * tasks and goes on from there, launching again only what is known not to exist. A launcher that cannot know
     * (one machine: the processes died with snapci) ends it ERROR.
     */
    default CompletableFuture<ExecutionResult> adopt(RunStatus run, Clone clone, LaunchListener listener) {
        return CompletableFuture.completedFuture(ExecutionResult.error("snapci restarted while this run was "
                + "executing, and this launcher cannot take a run over. Run it again."));
    }

    /** Stops a launched run: its tests and Cassandra are killed; its future completes CANCELLED. */
    void cancel(String runId);
}
