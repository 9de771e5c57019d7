package io.snapci.scheduler.mesos.launch;

import io.snapci.model.tasks.TestsTaskReport;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** Where the launcher gets what a finished tests task reported beyond its exit status (its sandbox report). */
@FunctionalInterface
public interface TestsReports {

    /** Reads nothing: the verdict rests on the exit status alone. */
    TestsReports NONE = (agentUrl, frameworkId, executorId, taskId) ->
            CompletableFuture.completedFuture(Optional.empty());

    /**
     * The report of a tests task that has ended, or empty when it left none (or it cannot be read: the verdict
     * does not wait on a sick agent).
     */
    CompletableFuture<Optional<TestsTaskReport>> fetch(String agentUrl, String frameworkId, String executorId,
                                                       String taskId);
}
