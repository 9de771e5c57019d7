package io.snapci.scheduler.local.storage;

import java.io.IOException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.EnumSet;

/**
 * Deletes a clone directory tree. Symlinks are deleted as links, never followed: a clone's Cassandra (or a test) may
 * have put a symlink to somewhere else in it, and what it points at is not ours. Hard links are unlinked, which
 * leaves the source's file (same inode, another name) as it was. The marker goes last, so a deletion that is
 * interrupted leaves a directory that is still recognisably ours and can be deleted again.
 */
final class CloneDeleter {

    private CloneDeleter() {
    }

    static void deleteTree(Path cloneDir) throws IOException {
        if (!Files.exists(cloneDir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (Files.isSymbolicLink(cloneDir)) {
            throw new IOException(cloneDir + " is a symlink, not a clone directory: not following it");
        }
        Path marker = cloneDir.resolve(CloneMarker.FILE_NAME);
        Files.walkFileTree(cloneDir, EnumSet.noneOf(FileVisitOption.class), Integer.MAX_VALUE,
                new LiveTreeVisitor() {
                    @Override
                    public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                        if (!file.equals(marker)) {
                            Files.deleteIfExists(file);
                        }
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                        if (e != null) {
                            throw e;
                        }
                        if (!dir.equals(cloneDir)) {
                            Files.deleteIfExists(dir);
                        }
                        return FileVisitResult.CONTINUE;
                    }
                });
        Files.deleteIfExists(marker);
        Files.deleteIfExists(cloneDir);
    }
}
