package io.snapci.server.runs;

import io.snapci.executor.testcmd.TestCommand;
import io.snapci.scheduler.launch.local.LocalLauncher;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A local run's files are under its run directory: {@code tests.stdout.log}, {@code tests.stderr.log},
 * {@code cassandra/cassandra-logs/system.log} and the merged {@code junit.xml}.
 */
final class LocalRunFiles implements RunFiles {

    private final LocalLauncher launcher;

    LocalRunFiles(LocalLauncher launcher) {
        this.launcher = launcher;
    }

    @Override
    public Optional<Path> log(String runId, Task task, boolean stderr) {
        Path runDir = launcher.runDir(runId);
        Path file = switch (task) {
            case TESTS -> runDir.resolve(stderr ? TestCommand.STDERR_LOG : TestCommand.STDOUT_LOG);
            case CASSANDRA -> runDir.resolve("cassandra").resolve("cassandra-logs").resolve("system.log");
        };
        return existing(file);
    }

    @Override
    public Optional<Path> junit(String runId) {
        return existing(launcher.runDir(runId).resolve(LocalLauncher.MERGED_JUNIT));
    }

    private static Optional<Path> existing(Path file) {
        return Files.isRegularFile(file) ? Optional.of(file) : Optional.empty();
    }
}
