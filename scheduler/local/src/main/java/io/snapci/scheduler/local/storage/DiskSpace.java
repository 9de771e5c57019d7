package io.snapci.scheduler.local.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How many bytes can still be written where a path lives. A seam so tests can pretend a disk is full without
 * filling one.
 */
@FunctionalInterface
public interface DiskSpace {

    long usableBytes(Path path) throws IOException;

    /** The real answer: the usable space of the filesystem holding the path. */
    static DiskSpace fileStores() {
        return path -> Files.getFileStore(path).getUsableSpace();
    }
}
