package io.snapci.scheduler.mesos.sandbox;

import io.snapci.scheduler.mesos.launch.NodeLogs;

import java.io.IOException;
import java.net.URI;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * Reads what a cassandra task has printed since the last read from its sandbox's {@code stdout}, off the event
 * thread. The agent's container logger writes a nested container's output to {@code stdout}/{@code stderr} in that
 * container's sandbox, which the default executor links at {@code tasks/T} of its own (src/launcher/
 * default_executor.cpp), so it is read at {@link AgentFiles#taskFile}.
 */
public final class SandboxNodeLogs implements NodeLogs {

    private final AgentFiles files;
    private final Executor executor;
    private final Consumer<String> log;

    public SandboxNodeLogs(AgentFiles files, Executor executor, Consumer<String> log) {
        this.files = files;
        this.executor = executor;
        this.log = log;
    }

    @Override
    public CompletableFuture<Optional<String>> read(String agentUrl, String frameworkId, String executorId,
                                                    String taskId, long offset) {
        if (agentUrl == null) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        return CompletableFuture.supplyAsync(() -> {
            String path = AgentFiles.taskFile(frameworkId, executorId, taskId, "stdout");
            try {
                return files.readFrom(URI.create(agentUrl), path, offset);
            } catch (IOException e) {
                // Only the progress shown is lost: the next tick reads again from the same offset.
                log.accept("could not read the output of task " + taskId + ": " + e.getMessage());
                return Optional.empty();
            }
        }, executor);
    }
}
