package io.snapci.scheduler.local.storage;

import io.snapci.model.Source;
import io.snapci.scheduler.core.storage.Clone;
import io.snapci.scheduler.core.storage.StorageException;
import io.snapci.scheduler.core.storage.StorageException.Kind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.snapci.scheduler.local.storage.CassandraFixtures.files;
import static io.snapci.scheduler.local.storage.CassandraFixtures.fingerprint;
import static io.snapci.scheduler.local.storage.CassandraFixtures.inode;
import static io.snapci.scheduler.local.storage.LocalDirectoryDriverTest.assertNothingIn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The source is only ever read, and the driver deletes only what it can prove it made. */
class LocalDriverSafetyTest {

    @TempDir
    Path tmp;

    private LocalDirectoryDriver driver(Path root) {
        return new LocalDirectoryDriver(root, path -> Long.MAX_VALUE, Clock.systemUTC());
    }

    /**
     * The proof: checksum, inode, size, mtime, permissions and owner of every source file, and mtime and permissions
     * of every source directory (which change if anything is created, deleted or renamed in it), are the same after
     * a copy was made, written to in every way a clone's Cassandra could, and deleted.
     */
    @Test
    void usingAndDeletingACopyLeavesTheSourceExactlyAsItWas() throws Exception {
        Path home = CassandraFixtures.home(tmp.resolve("cassandra"));
        Map<String, String> before = fingerprint(home);
        List<String> namesBefore = files(home);
        Path root = tmp.resolve("clones");
        LocalDirectoryDriver driver = driver(root);

        Clone clone = driver.createClone("r1", Source.dataDir(home.toString()));
        assertEquals(List.of(), CassandraFixtures.differences(before, fingerprint(home)), "making the copy");

        Path dir = Path.of(clone.path());
        int appended = 0;
        int replaced = 0;
        int deleted = 0;
        for (String file : files(dir)) {
            Path p = dir.resolve(file);
            String name = p.getFileName().toString();
            if (name.equals(CloneMarker.FILE_NAME)) {
                continue;
            }
            // Decided by what Cassandra does to each file (see CassandraFileClassifier's sources), not by the
            // classifier: if the driver linked a file Cassandra writes in place, the appends below would show in
            // the source.
            boolean writtenInPlace = !file.startsWith("data/") || name.endsWith("-TOC.txt")
                    || name.endsWith("-Filter.db") || name.contains("_txn_");
            boolean replacedByANewFile = name.endsWith("-Statistics.db") || name.endsWith("-Summary.db");
            if (writtenInPlace) {
                // what the clone's Cassandra does to its commit log, a TOC, a rebuilt filter, transaction logs
                Files.write(p, new byte[]{1, 2, 3}, StandardOpenOption.APPEND);
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-------"));
                Files.setLastModifiedTime(p, java.nio.file.attribute.FileTime.fromMillis(0));
                appended++;
            } else if (replacedByANewFile) {
                // what it does to Statistics (a temporary file renamed over it) and Summary (deleted, written anew)
                Path temp = p.resolveSibling(name + ".tmp");
                Files.write(temp, new byte[]{4, 5, 6});
                Files.move(temp, p, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                replaced++;
            } else {
                Files.delete(p); // what compaction in the clone does to an SSTable it replaced
                deleted++;
            }
        }
        CassandraFixtures.write(dir.resolve("data").resolve(CassandraFixtures.USERS).resolve("nb-9-big-Data.db"), 99);
        CassandraFixtures.write(dir.resolve("commitlog/CommitLog-7-1800000000000.log"), 99);
        CassandraFixtures.write(dir.resolve("data/newks/t-00000000000000000000000000000001/nb-1-big-Data.db"), 99);
        assertEquals(25, deleted);
        assertEquals(15, appended); // hints are not in the copy: nothing there to append to
        assertEquals(11, replaced);
        assertEquals(List.of(), CassandraFixtures.differences(before, fingerprint(home)), "writing to the copy");

        driver.deleteClone(clone);

        assertFalse(Files.exists(dir));
        assertEquals(List.of(), CassandraFixtures.differences(before, fingerprint(home)), "deleting the copy");
        assertEquals(namesBefore, files(home));
    }

    @Test
    void deletingAnUntouchedCopyLeavesTheSourceAsItWas() throws Exception {
        Path home = CassandraFixtures.home(tmp.resolve("cassandra"));
        Map<String, String> before = fingerprint(home);
        LocalDirectoryDriver driver = driver(tmp.resolve("clones"));
        Clone clone = driver.createClone("r1", Source.dataDir(home.toString()));

        driver.deleteClone(clone);

        assertEquals(List.of(), CassandraFixtures.differences(before, fingerprint(home)));
        assertNothingIn(tmp.resolve("clones"));
        // every source file still has its single name again: the links were the copy's names only
        for (String file : files(home)) {
            assertEquals(1, Files.getAttribute(home.resolve(file), "unix:nlink"), file);
        }
    }

    @Test
    void deletingACopyThatIsGoneSucceeds() throws Exception {
        LocalDirectoryDriver driver = driver(tmp.resolve("clones"));
        Clone clone = driver.createClone("r1", null);
        driver.deleteClone(clone);
        driver.deleteClone(clone);
        Path never = tmp.resolve("clones/r2");
        driver.deleteClone(new Clone(never.toString(), "r2", null, never.toString(), null, null, null));
        assertNothingIn(tmp.resolve("clones"));
    }

    @Test
    void refusesToDeleteADirectoryWithoutAMarker() throws Exception {
        Path root = tmp.resolve("clones");
        Path unmarked = CassandraFixtures.write(root.resolve("r1/keep.txt"), 10).getParent();

        StorageException e = assertThrows(StorageException.class,
                () -> driver(root).deleteClone(cloneAt(unmarked, "r1")));

        assertEquals(Kind.REFUSED, e.kind());
        assertTrue(e.getMessage().contains("no snapci marker"), e.getMessage());
        assertTrue(Files.exists(unmarked.resolve("keep.txt")));
    }

    @Test
    void refusesToDeleteACopyMadeForAnotherRun() throws Exception {
        Path root = tmp.resolve("clones");
        LocalDirectoryDriver driver = driver(root);
        Clone r1 = driver.createClone("r1", null);

        StorageException e = assertThrows(StorageException.class,
                () -> driver.deleteClone(cloneAt(Path.of(r1.path()), "r2")));

        assertEquals(Kind.REFUSED, e.kind());
        assertTrue(e.getMessage().contains("made for run r1, not for run r2"), e.getMessage());
        assertTrue(Files.exists(Path.of(r1.path(), CloneMarker.FILE_NAME)));
    }

    @Test
    void refusesAMarkerCopiedIntoAnotherDirectory() throws Exception {
        Path root = tmp.resolve("clones");
        LocalDirectoryDriver driver = driver(root);
        Clone r1 = driver.createClone("r1", null);
        Path other = Files.createDirectories(root.resolve("r2"));
        Files.copy(Path.of(r1.path(), CloneMarker.FILE_NAME), other.resolve(CloneMarker.FILE_NAME));

        StorageException e = assertThrows(StorageException.class, () -> driver.deleteClone(cloneAt(other, "r1")));

        assertEquals(Kind.REFUSED, e.kind());
        assertTrue(Files.exists(other.resolve(CloneMarker.FILE_NAME)));
    }

    @Test
    void refusesToDeleteOutsideTheCloneRoot() throws Exception {
        Path root = tmp.resolve("clones");
        // a perfectly marked copy, but made by a driver with another root
        Clone elsewhere = driver(tmp.resolve("elsewhere")).createClone("r1", null);
        Path nested = Files.createDirectories(root.resolve("r1/data/r1"));
        new CloneMarker(CloneMarker.FORMAT, "r1", null, null, null, true, "", null).writeTo(nested);
        LocalDirectoryDriver driver = driver(root);

        for (Clone clone : List.of(elsewhere, cloneAt(nested, "r1"), cloneAt(root, "clones"),
                cloneAt(root.resolve("r1/../../elsewhere/r1"), "r1"), cloneAt(Path.of("/"), "r1"))) {
            StorageException e = assertThrows(StorageException.class, () -> driver.deleteClone(clone),
                    clone.path());
            assertEquals(Kind.REFUSED, e.kind(), clone.path());
        }
        assertTrue(Files.exists(Path.of(elsewhere.path(), CloneMarker.FILE_NAME)));
        assertTrue(Files.exists(nested.resolve(CloneMarker.FILE_NAME)));
    }

    @Test
    void refusesASymlinkInTheRootPointingAtACopy() throws Exception {
        Path root = tmp.resolve("clones");
        Clone elsewhere = driver(tmp.resolve("elsewhere")).createClone("r1", null);
        Files.createDirectories(root);
        Path link = Files.createSymbolicLink(root.resolve("r1"), Path.of(elsewhere.path()));

        StorageException e = assertThrows(StorageException.class, () -> driver(root).deleteClone(cloneAt(link, "r1")));

        assertEquals(Kind.REFUSED, e.kind());
        assertTrue(Files.exists(Path.of(elsewhere.path(), CloneMarker.FILE_NAME)));
    }

    @Test
    void deletingDoesNotFollowSymlinksOutOfTheCopy() throws Exception {
        Path outside = CassandraFixtures.write(tmp.resolve("outside/precious.db"), 100).getParent();
        Path precious = outside.resolve("precious.db");
        LocalDirectoryDriver driver = driver(tmp.resolve("clones"));
        Clone clone = driver.createClone("r1", null);
        Path dir = Path.of(clone.path());
        Files.createSymbolicLink(dir.resolve("data/linked-dir"), outside);
        Files.createSymbolicLink(dir.resolve("data/linked-file"), precious);
        Map<String, String> before = fingerprint(outside);

        driver.deleteClone(clone);

        assertFalse(Files.exists(dir));
        assertEquals(List.of(), CassandraFixtures.differences(before, fingerprint(outside)));
    }

    @Test
    void aRootThatIsASymlinkWorks() throws Exception {
        Path realRoot = Files.createDirectories(tmp.resolve("disk/clones"));
        Path root = Files.createSymbolicLink(tmp.resolve("clones"), realRoot);
        Path data = CassandraFixtures.dataDir(tmp.resolve("data"));
        LocalDirectoryDriver driver = driver(root);

        Clone clone = driver.createClone("r1", Source.dataDir(data.toString()));
        assertEquals(List.of(clone), driver.listClones());
        driver.deleteClone(clone);

        assertNothingIn(realRoot);
    }

    /**
     * A clone root on another filesystem (tmpfs): hard links are impossible, so everything is copied, and the
     * description says why and what to do.
     */
    @Test
    void aCloneRootOnAnotherFilesystemCopiesAndSaysSo() throws Exception {
        Path shm = Path.of("/dev/shm");
        assumeTrue(Files.isDirectory(shm) && Files.isWritable(shm), "no /dev/shm");
        Path home = CassandraFixtures.home(tmp.resolve("cassandra"));
        assumeTrue(!Files.getAttribute(shm, "unix:dev").equals(Files.getAttribute(home, "unix:dev")),
                "/dev/shm is on the same filesystem as the temp dir");
        Path root = Files.createTempDirectory(shm, "snapci-test-");
        try {
            Map<String, String> before = fingerprint(home);
            LocalDirectoryDriver driver = driver(root);
            LocalDirectoryDriver.LocalClone made = driver.createCloneWithStats("r1",
                    Source.dataDir(home.toString()));

            assertEquals(0, made.stats().linkedFiles());
            assertEquals(37 + 14, made.stats().copiedFiles());
            String description = made.copy().description();
            assertTrue(description.contains("on another filesystem than the source"), description);
            assertTrue(description.contains("--work-root on the source's filesystem"), description);
            Path dir = Path.of(made.copy().path());
            for (String file : files(dir)) {
                if (!file.equals(CloneMarker.FILE_NAME)) {
                    assertNotEquals(inode(home.resolve(file)), inode(dir.resolve(file)), file);
                }
            }
            driver.deleteClone(made.copy());
            assertEquals(List.of(), CassandraFixtures.differences(before, fingerprint(home)));
        } finally {
            try (Stream<Path> walk = Files.walk(root)) {
                for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    @Test
    void aCloneRootOnAnotherFilesystemIsCountedFullyInTheSpaceCheck() throws IOException {
        Path shm = Path.of("/dev/shm");
        assumeTrue(Files.isDirectory(shm) && Files.isWritable(shm), "no /dev/shm");
        Path home = CassandraFixtures.home(tmp.resolve("cassandra"));
        assumeTrue(!Files.getAttribute(shm, "unix:dev").equals(Files.getAttribute(home, "unix:dev")));
        Path root = Files.createTempDirectory(shm, "snapci-test-");
        try {
            LocalDirectoryDriver driver = new LocalDirectoryDriver(root, path -> 1024, Clock.systemUTC());
            StorageException e = assertThrows(StorageException.class,
                    () -> driver.createClone("r1", Source.dataDir(home.toString())));
            assertEquals(Kind.NO_SPACE, e.kind());
            assertTrue(e.getMessage().contains("another filesystem than the source"), e.getMessage());
            assertNothingIn(root);
        } finally {
            Files.deleteIfExists(root);
        }
    }

    private static Clone cloneAt(Path dir, String runId) {
        return new Clone(dir.toString(), runId, null, dir.toString(), null, null, null);
    }
}
