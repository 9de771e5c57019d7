package io.snapci.scheduler.mesos.sandbox;

import io.snapci.model.tasks.TestsTask;
import io.snapci.model.tasks.TestsTaskReport;
import io.snapci.scheduler.mesos.launch.NodeLogs;
import io.snapci.scheduler.mesos.launch.TestsReports;

import java.io.IOException;
import java.net.URI;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * What the launcher reads from its tasks' sandboxes on their agents, off the event thread: each ended tests task's
 * {@code snapci-result.json}, and what a masked run's cassandra task has printed since the last read. The agent's
 * container logger writes a nested container's output to {@code stdout}/{@code stderr} in that container's sandbox,
 * which the default executor links at {@code tasks/T} of its own (src/launcher/default_executor.cpp), so both are
 * read at {@link AgentFiles#taskFile}.
 */
public final class TaskSandboxes implements TestsReports, NodeLogs {

    /** A report is a few kilobytes; the list of failed tests is capped well below this by the tests task. */
    private static final int MAX_REPORT_BYTES = 1 << 20;

    private final AgentFiles files;
    private final Executor executor;
    private final Consumer<String> log;

    public TaskSandboxes(AgentFiles files, Executor executor, Consumer<String> log) {
        this.files = files;
        this.executor = executor;
        this.log = log;
    }

    @Override
    public CompletableFuture<Optional<TestsTaskReport>> fetch(String agentUrl, String frameworkId, String executorId,
                                                              String taskId) {
        if (agentUrl == null) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        return CompletableFuture.supplyAsync(() -> {
            String path = AgentFiles.taskFile(frameworkId, executorId, taskId, TestsTask.RESULT_FILE);
            try {
                Optional<String> json = files.read(URI.create(agentUrl), path, MAX_REPORT_BYTES);
                if (json.isEmpty()) {
                    log.accept("task " + taskId + " left no " + TestsTask.RESULT_FILE + " at " + agentUrl + path);
                }
                return json.isEmpty() ? Optional.<TestsTaskReport>empty() : Optional.of(TestsTaskReport.parse(json.get()));
            } catch (IOException e) {
                log.accept("could not read the report of task " + taskId + ": " + e.getMessage());
                return Optional.empty();
            }
        }, executor);
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
