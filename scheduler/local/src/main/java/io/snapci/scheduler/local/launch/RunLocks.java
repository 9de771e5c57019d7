package io.snapci.scheduler.local.launch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * Which runs have a live owner. The process executing a run holds an OS lock on {@code <dir>/<runId>.lock} until the
 * run ends; the OS drops it when that process dies, however it dies. A run whose lock can be taken has no owner:
 * whatever it left behind can be cleaned up. Several snapci processes can share one work root this way.
 */
public final class RunLocks {

    private final Path dir;

    public RunLocks(Path dir) {
        this.dir = dir.toAbsolutePath();
    }

    /** Takes the run's lock for this process; close the result when the run has ended. */
    public Held hold(String runId) {
        return tryHold(runId).orElseThrow(() -> new IllegalStateException("run " + runId + " is owned by another process"));
    }

    /** Takes the run's lock if no live process holds it. */
    public Optional<Held> tryHold(String runId) {
        try {
            Files.createDirectories(dir);
            Path file = dir.resolve(runId + ".lock");
            FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            try {
                FileLock lock = channel.tryLock();
                if (lock == null) {
                    channel.close();
                    return Optional.empty();
                }
                return Optional.of(new Held(file, channel));
            } catch (OverlappingFileLockException e) {
                channel.close();  // held by this very process
                return Optional.empty();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot use run locks in " + dir, e);
        }
    }

    /** A held lock; closing it releases the lock and removes its file. */
    public static final class Held implements AutoCloseable {
        private final Path file;
        private final FileChannel channel;

        private Held(Path file, FileChannel channel) {
            this.file = file;
            this.channel = channel;
        }

        @Override
        public void close() {
            try {
                Files.deleteIfExists(file);
                channel.close();
            } catch (IOException e) {
                // The lock dies with the channel or the process either way.
            }
        }
    }
}
