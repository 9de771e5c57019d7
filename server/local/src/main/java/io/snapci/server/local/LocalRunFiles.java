package io.snapci.server.local;

import io.snapci.server.runs.RunFiles;

import io.snapci.executor.testcmd.TestCommand;
import io.snapci.scheduler.local.launch.LocalLauncher;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Optional;

/**
 * A local run's files are under its run directory: {@code tests.stdout.log}, {@code tests.stderr.log},
 * {@code cassandra/cassandra-logs/system.log} (or {@code cassandra/cassandra.out}, the node JVM's console) and the
 * merged {@code junit.xml}: the layout RunExecution and NodeConfig give a run directory.
 *
 * <p>Retention deletes that directory and nothing else: the run's data copy lives under {@code clones/} and is the
 * driver's to delete; links in the run directory are removed as links, never followed.
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
        // that failed early (or whose logging did not start) said why. stderr: that console itself.
        Path node = runDir.resolve("cassandra");
        if (stderr) {
            return existing(node.resolve("cassandra.out"));
        }
        return existing(node.resolve("cassandra-logs").resolve("system.log"))
                .or(() -> existing(node.resolve("cassandra.out")));
    }

    @Override
    public Optional<Path> junit(String runId) {
        return existing(launcher.runDir(runId).resolve(LocalLauncher.MERGED_JUNIT));
    }

    @Override
    public void delete(String runId) throws IOException {
        Path runDir = launcher.runDir(runId);
        if (!runDir.getFileName().toString().equals(runId) || runId.startsWith(".")) {
            throw new IllegalArgumentException("not a run id: " + runId);
        }
        if (!Files.exists(runDir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (!Files.isDirectory(runDir, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException(runDir + " is not a run directory (a link or a file): left as it is");
        }
        // Not following links: a link inside is a file to this walk, and deleting it deletes the link only.
        Files.walkFileTree(runDir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (e instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE;
                }
                throw e;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                Files.deleteIfExists(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static Optional<Path> existing(Path file) {
        return Files.isRegularFile(file) ? Optional.of(file) : Optional.empty();
    }
}
