package io.snapci.tests.portworx;

import io.snapci.model.Source;
import io.snapci.scheduler.core.storage.Clone;
import io.snapci.scheduler.local.storage.DirectoryFingerprint;
import io.snapci.scheduler.core.storage.SnapshotDriver;
import io.snapci.scheduler.local.storage.LocalDirectoryDriver;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/** The driver contract on the local directory driver, with a small Cassandra-shaped source directory. */
class LocalDriverContractTest extends SnapshotDriverContract {

    @TempDir
    Path dir;
    private LocalDirectoryDriver driver;
    private Path source;

    @BeforeEach
    void setUp() throws Exception {
        source = dir.resolve("production/data");
        Path table = source.resolve("system/local-7ad54392bcdd35a684174e047860b377");
        Files.createDirectories(table);
        for (String component : new String[]{"Data.db", "Index.db", "Statistics.db", "TOC.txt"}) {
            Files.writeString(table.resolve("nb-1-big-" + component), "bytes of " + component);
        }
        driver = new LocalDirectoryDriver(dir.resolve("clones"));
    }

    @Override
    SnapshotDriver driver() {
        return driver;
    }

    @Override
    Source source() {
        return Source.dataDir(source.toString());
    }

    @Override
    Source missingSource() {
        return Source.dataDir(dir.resolve("nowhere").toString());
    }

    @Override
    Source wrongKindSource() {
        return Source.volume("cassandra-prod");
    }

    @Override
    Clone forgedCloneOfSource(String runId) {
        return new Clone(source.toString(), runId, null, source.toString(), null, Instant.EPOCH, "forged");
    }

    @Override
    String sourceState() {
        return DirectoryFingerprint.of(source).files().toString();
    }
}
