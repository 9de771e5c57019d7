package io.snapci.scheduler.local.storage;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A hook into the copy, for tests: it runs just before each source file is linked or copied, so a test can make the
 * source change at an exact moment (a compaction deleting an SSTable) or make a write fail (a full disk) —
 * deterministically, without racing a second thread.
 */
interface CopyObserver {

    CopyObserver NONE = source -> {
    };

    void beforeTransfer(Path source) throws IOException;
}
