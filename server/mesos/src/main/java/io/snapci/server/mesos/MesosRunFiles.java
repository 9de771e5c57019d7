package io.snapci.server.mesos;

import io.snapci.model.tasks.TestsTask;

import io.snapci.server.runs.RunFiles;

import io.snapci.model.Placement;
import io.snapci.model.RunStatus;
import io.snapci.scheduler.mesos.launch.TaskNames;
import io.snapci.scheduler.mesos.sandbox.AgentFiles;
import io.snapci.scheduler.core.state.FrameworkIdStore;
import io.snapci.scheduler.core.state.RunStore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A cluster run's logs and JUnit XML live in its tasks' sandboxes on the agent it ran on (the default executor's
 * tasks: {@code stdout}/{@code stderr} of each, and the tests task's merged {@code snapci-junit.xml}). They are read
 * through the agent's files API into a local cache file per request, which the API then serves like a local log.
 * The cache holds at most the last {@value #MAX_BYTES} bytes asked for: a log tail, not an archive. Retention
 * deletes a run's cached files with its record; the sandboxes themselves are the agents' to garbage-collect.
 */
final class MesosRunFiles implements RunFiles {

    static final int MAX_BYTES = 8 * 1024 * 1024;

    private final RunStore runs;
    private final FrameworkIdStore frameworkIds;
    private final AgentFiles agentFiles;
    private final Path cache;

    MesosRunFiles(RunStore runs, FrameworkIdStore frameworkIds, AgentFiles agentFiles, Path cache) {
        this.runs = runs;
        this.frameworkIds = frameworkIds;
        this.agentFiles = agentFiles;
        this.cache = cache;
    }

    @Override
    public Optional<Path> log(String runId, Task task, boolean stderr) {
        String role = task == Task.CASSANDRA ? TaskNames.CASSANDRA : TaskNames.TESTS;
        return fetch(runId, role, stderr ? "stderr" : "stdout");
    }

    @Override
    public Optional<Path> junit(String runId) {
        return fetch(runId, TaskNames.TESTS, TestsTask.JUNIT_FILE);
    }

    /** The cache files {@link #fetch} may have written for the run, by their exact names. */
    @Override
    public void delete(String runId) throws IOException {
        for (String role : List.of(TaskNames.CASSANDRA, TaskNames.TESTS)) {
            for (String file : List.of("stdout", "stderr", TestsTask.JUNIT_FILE)) {
                Files.deleteIfExists(cacheFile(runId, role, file));
            }
        }
    }

    private Path cacheFile(String runId, String role, String file) {
        return cache.resolve(runId + "." + role + "." + file);
    }

    private Optional<Path> fetch(String runId, String role, String file) {
        Optional<Placement> placed = runs.find(runId).map(RunStatus::placement);
        Optional<String> framework = frameworkIds.load();
        if (placed.isEmpty() || placed.get().agentUrl() == null || framework.isEmpty()) {
            return Optional.empty();
        }
        Placement where = placed.get();
        String path = AgentFiles.taskFile(framework.get(), TaskNames.id(runId, TaskNames.EXECUTOR, where.attempt()),
                TaskNames.id(runId, role, where.attempt()), file);
        try {
            Optional<String> content = agentFiles.read(URI.create(where.agentUrl()), path, MAX_BYTES);
            if (content.isEmpty()) {
                return Optional.empty();
            }
            Files.createDirectories(cache);
            Path local = cacheFile(runId, role, file);
            Files.writeString(local, content.get(), StandardCharsets.UTF_8);
            return Optional.of(local);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + file + " of run " + runId + " from its agent "
                    + where.agentUrl() + ": " + e.getMessage(), e);
        }
    }
}
