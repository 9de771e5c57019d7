package io.snapci.tests.portworx;

import io.snapci.model.Source;
import io.snapci.scheduler.core.storage.StorageException;
import io.snapci.scheduler.local.storage.LocalDirectoryDriver;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The bytes behind the peer's volumes, when a test wants real data (an executing agent mounts them): each volume is a
 * directory of this machine in Cassandra's layout ({@code data/ commitlog/ hints/ saved_caches/}, what a Portworx
 * volume mounted at {@code /var/lib/cassandra} holds).
 *
 * <p>A Portworx snapshot is a point-in-time, copy-on-write image of the whole block device: later writes to the
 * volume do not show in it, and a clone of it is a writable device that starts with the same bytes, the same file
 * owners and modes. Here both are made with the local driver's copy rules ({@link LocalDirectoryDriver}): immutable
 * SSTable components hard-linked (they can never change under the copy), everything a running Cassandra rewrites
 * (commit log, hints, Statistics, transaction logs) really copied, so a write to the volume after the snapshot does
 * not reach it, and a write to a clone does not reach its snapshot. A hard link keeps its original's owner and a copy
 * made by this (root) process is root's: with a production node run by the tests' own (root) JVM, every file of a
 * clone is then root's, as on a real clone of a production node that runs as root. (A copy owned by another uid
 * than the node task's is NodeTaskTest's case.) The local driver's marker file is removed from the copy: a
 * Portworx volume has none. A volume that does not hold Cassandra data is copied byte for byte ({@code cp -a}).
 */
final class PeerVolumeData {

    private final Path root;
    private final LocalDirectoryDriver copier;

    PeerVolumeData(Path root) {
        this.root = root.toAbsolutePath();
        this.copier = new LocalDirectoryDriver(this.root.resolve("volumes"));
    }

    /** Where the copies made from volumes of this peer are staged before they move into place. */
    private Path staging() throws IOException {
        return Files.createDirectories(root.resolve("staging"));
    }

    /** A new, empty volume's directory (a freshly formatted device: the layout's directories, nothing in them). */
    Path createEmpty(String volumeId) {
        try {
            Path dir = Files.createDirectories(copier.cloneRoot().resolve(name(volumeId)));
            for (String area : LocalDirectoryDriver.LAYOUT) {
                Files.createDirectories(dir.resolve(area));
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A copy of {@code from} (a volume's directory) as the new volume {@code volumeId}'s. */
    Path copy(Path from, String volumeId) {
        Path target = copier.cloneRoot().resolve(name(volumeId));
        try {
            // The local driver refuses a source inside its own clone root (a copy of a copy here): copy through a
            // driver rooted elsewhere, then move the result into place (same filesystem: a rename).
            LocalDirectoryDriver driver = from.toAbsolutePath().startsWith(copier.cloneRoot())
                    ? new LocalDirectoryDriver(staging()) : copier;
            Path dir = Path.of(driver.createClone(name(volumeId), Source.dataDir(from.toString())).path());
            Files.deleteIfExists(dir.resolve(io.snapci.executor.cassandra.CassandraDirectories.CLONE_MARKER));
            if (!dir.equals(target)) {
                Files.createDirectories(target.getParent());
                Files.move(dir, target);
            }
            return target;
        } catch (StorageException e) {
            if (e.kind() != StorageException.Kind.INVALID_SOURCE) {
                throw new IllegalStateException("the peer could not copy " + from + " for volume " + volumeId + ": "
                        + e.getMessage(), e);
            }
            return plainCopy(from, target); // a block device copies any bytes
        } catch (IOException e) {
            throw new IllegalStateException("the peer could not copy " + from + " for volume " + volumeId + ": "
                    + e.getMessage(), e);
        }
    }

    private static Path plainCopy(Path from, Path to) {
        try {
            Files.createDirectories(to.getParent());
            Process cp = new ProcessBuilder("cp", "-a", from + "/.", to.toString()).redirectErrorStream(true).start();
            String out = new String(cp.getInputStream().readAllBytes());
            if (cp.waitFor() != 0) {
                throw new IllegalStateException("cp -a " + from + " " + to + " failed: " + out);
            }
            return to;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Deletes a volume's directory if this peer made it (a production volume's own directory is never removed). */
    void delete(Path dir) {
        if (dir == null || !dir.toAbsolutePath().startsWith(copier.cloneRoot())) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) { // does not follow links
            List<Path> all = walk.sorted(Comparator.reverseOrder()).toList();
            for (Path p : all) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("the peer could not delete " + dir, e);
        }
    }

    boolean isOwnCopy(Path dir) {
        return dir != null && Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)
                && dir.toAbsolutePath().startsWith(copier.cloneRoot());
    }

    private static String name(String volumeId) {
        return "vol-" + volumeId;
    }
}
