package io.snapci.scheduler.local.storage;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;

/**
 * A walk over a directory something else may be changing while we walk it (a live source node compacts and
 * deletes SSTables; a copy may be half-deleted by an earlier attempt): a file that vanished between being listed
 * and being visited is not part of the walk, and not an error. Any other failure is.
 */
abstract class LiveTreeVisitor extends SimpleFileVisitor<Path> {

    @Override
    public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
        if (e instanceof NoSuchFileException) {
            return FileVisitResult.CONTINUE;
        }
        throw e;
    }
}
