package io.snapci.scheduler.local.launch;

import io.snapci.scheduler.core.process.Threads;

import io.snapci.executor.ExecutionRequest;
import io.snapci.model.ExecutionResult;
import io.snapci.executor.RunExecution;
import io.snapci.executor.cassandra.CassandraDirectories;
import io.snapci.executor.cassandra.CassandraRuntime;
import io.snapci.model.Placement;
import io.snapci.model.RunSpec;
import io.snapci.model.RunStatus;
import io.snapci.scheduler.core.launch.LaunchListener;
import io.snapci.scheduler.core.launch.Launcher;
import io.snapci.scheduler.core.storage.Clone;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Runs executions on this machine: Cassandra and the tests are child processes of this JVM, one thread per run.
 * Each run's configuration, logs and merged JUnit XML go to {@code <runsDir>/<runId>/}.
 */
public final class LocalLauncher implements Launcher {

    public static final String MERGED_JUNIT = "junit.xml";

    private final Path runsDir;
    private final CassandraRuntime runtime;
    private final Path defaultWorkDir;
    private final Map<String, RunExecution> running = new ConcurrentHashMap<>();
    /** The masking hash's key for every run; null: each execution draws a random one. Set once at wiring. */
    private volatile String maskKey;
    private final ExecutorService threads = Executors.newCachedThreadPool(Threads.daemon("snapci-local-run"));

    /**
     * @param runsDir        where each run's logs and configuration go
     * @param runtime        the Cassandra jars and java binary
     * @param defaultWorkDir where a test command runs when its spec names no work dir
     */
    public LocalLauncher(Path runsDir, CassandraRuntime runtime, Path defaultWorkDir) {
        this.runsDir = runsDir.toAbsolutePath();
        this.runtime = runtime;
        this.defaultWorkDir = defaultWorkDir.toAbsolutePath();
    }

    /** Keys every later run's masking with {@code key} (serve's masking.hashKeyFile), so hashes match across runs. */
    public void maskWith(String key) {
        this.maskKey = key;
    }

    public Path runDir(String runId) {
        return runsDir.resolve(runId);
    }

    @Override
    public CompletableFuture<ExecutionResult> launch(RunStatus run, Clone clone, LaunchListener listener) {
        RunExecution execution = new RunExecution(request(run, clone));
        running.put(run.id(), execution);
        listener.onPlaced(Placement.local());
        return CompletableFuture.supplyAsync(() -> {
            try {
                return execution.run(listener);
            } finally {
                running.remove(run.id());
            }
        }, threads);
    }

    /** What the executor is asked to do for {@code run} on {@code clone} (package-private for its test). */
    ExecutionRequest request(RunStatus run, Clone clone) {
        RunSpec spec = run.spec();
        Path workDir = spec.workDir() == null ? defaultWorkDir : Path.of(spec.workDir()).toAbsolutePath();
        Path runDir = runDir(run.id());
        return new ExecutionRequest(run.id(), CassandraDirectories.under(Path.of(clone.path())), runDir, runtime,
                spec.cassandra(), spec.timeouts(), spec.testCommand(), workDir, spec.env(), spec.junitGlob(),
                runDir.resolve(MERGED_JUNIT), spec.mask(), maskKey);
    }

    @Override
    public void cancel(String runId) {
        RunExecution execution = running.get(runId);
        if (execution != null) {
            execution.cancel();
        }
    }
}
