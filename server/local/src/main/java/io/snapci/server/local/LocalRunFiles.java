package io.snapci.server.local;

import io.snapci.server.runs.RunFiles;

import io.snapci.executor.testcmd.TestCommand;
import io.snapci.scheduler.local.launch.LocalLauncher;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A local run's files are under its run directory: {@code tests.stdout.log}, {@code tests.stderr.log},
 * {@code cassandra/cassandra-logs/system.log} (or {@code cassandra/cassandra.out}, the node JVM's console) and the
 * merged {@code junit.xml}: the layout RunExecution and NodeConfig give a run directory.
 */
final class LocalRunFiles implements RunFiles {

    private final LocalLauncher launcher;

    LocalRunFiles(LocalLauncher launcher) {
        this.launcher = launcher;
    }

    @Override
    public Optional<Path> log(String runId, Task task, boolean stderr) {
        Path runDir = launcher.runDir(runId);
        if (task == Task.TESTS) {
            return existing(runDir.resolve(stderr ? TestCommand.STDERR_LOG : TestCommand.STDOUT_LOG));
        }
        // Cassandra's own system.log when its logging started; otherwise its JVM's console, which is where a node
        // that failed early (or whose logging did not start) said why.
        Path node = runDir.resolve("cassandra");
        return existing(node.resolve("cassandra-logs").resolve("system.log"))
                .or(() -> existing(node.resolve("cassandra.out")));
    }

    @Override
    public Optional<Path> junit(String runId) {
        return existing(launcher.runDir(runId).resolve(LocalLauncher.MERGED_JUNIT));
    }

    private static Optional<Path> existing(Path file) {
        return Files.isRegularFile(file) ? Optional.of(file) : Optional.empty();
    }
}
