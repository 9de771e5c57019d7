package io.snapci.scheduler.mesos.launch;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * What a run's cassandra task has printed (its sandbox's {@code stdout}), read from its agent: the masking phase
 * and its progress are told there, since a task of the default executor cannot send status updates of its own.
 */
public interface NodeLogs {

    NodeLogs NONE = (agentUrl, frameworkId, executorId, taskId, offset) ->
            CompletableFuture.completedFuture(Optional.empty());

    /** The task's stdout from byte {@code offset} on (empty when there is nothing or it could not be read). */
    CompletableFuture<Optional<String>> read(String agentUrl, String frameworkId, String executorId, String taskId,
                                             long offset);
}
