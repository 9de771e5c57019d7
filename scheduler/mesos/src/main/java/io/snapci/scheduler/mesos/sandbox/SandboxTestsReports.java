package io.snapci.scheduler.mesos.sandbox;

import io.snapci.model.tasks.TestsTask;
import io.snapci.model.tasks.TestsTaskReport;
import io.snapci.scheduler.mesos.launch.TestsReports;

import java.io.IOException;
import java.net.URI;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/** Reads each ended tests task's {@code snapci-result.json} from its agent, off the event thread. */
public final class SandboxTestsReports implements TestsReports {

    /** A report is a few kilobytes; the list of failed tests is capped well below this by the tests task. */
    private static final int MAX_REPORT_BYTES = 1 << 20;

    private final AgentFiles files;
    private final Executor executor;
    private final Consumer<String> log;

    public SandboxTestsReports(AgentFiles files, Executor executor, Consumer<String> log) {
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
}
