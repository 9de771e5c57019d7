package io.snapci.scheduler.local.storage;

import io.snapci.model.Source;
import io.snapci.scheduler.core.storage.StorageException;
import io.snapci.scheduler.core.storage.StorageException.Kind;
import io.snapci.scheduler.local.storage.LocalDirectoryDriver.LocalClone;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.Stream;

import static io.snapci.scheduler.local.storage.CassandraFixtures.BIG;
import static io.snapci.scheduler.local.storage.CassandraFixtures.USERS;
import static io.snapci.scheduler.local.storage.CassandraFixtures.files;
import static io.snapci.scheduler.local.storage.CassandraFixtures.inode;
import static io.snapci.scheduler.local.storage.LocalDirectoryDriverTest.assertNothingIn;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A running node compacts while it is copied: SSTables vanish between listing and linking and replacements appear.
 * Simulated deterministically with the copy's hook, which runs just before each file is linked or copied.
 */
class LocalDriverLiveSourceTest {

    @TempDir
    Path tmp;

    private Path data;
    private Path users;
    private Path root;

    private LocalDirectoryDriver driver(CopyObserver observer) {
        return new LocalDirectoryDriver(root, path -> Long.MAX_VALUE, Clock.systemUTC(), observer);
    }

    /** Run r1's copy of the live data directory, {@code hook} watching it being made. */
    private LocalClone copyOfData(CopyObserver hook) throws StorageException {
        return driver(hook).createCloneWithStats("r1", Source.dataDir(data.toString()));
    }

    private void setUp() throws IOException {
        data = tmp.resolve("data");
        CassandraFixtures.sstable(data.resolve(CassandraFixtures.LOCAL), "nb-1-big", BIG);
        users = data.resolve(USERS);
        CassandraFixtures.sstable(users, "nb-1-big", BIG);
        CassandraFixtures.sstable(users, "nb-2-big", BIG);
        root = tmp.resolve("clones");
    }

    /** What a compaction does, at the end: the new SSTable is complete, the ones it replaced are deleted. */
    private void compact(List<String> replaced, String into) throws IOException {
        CassandraFixtures.sstable(users, into, BIG);
        for (String descriptor : replaced) {
            for (String component : BIG) {
                Files.deleteIfExists(users.resolve(descriptor + "-" + component));
            }
        }
    }

    /** What the live node does once, the first time a file whose name {@code matches} is about to be copied. */
    private static CopyObserver onceBeforeCopying(Predicate<String> matches, NodeChange change) {
        AtomicBoolean happened = new AtomicBoolean();
        return source -> {
            if (matches.test(source.getFileName().toString()) && !happened.getAndSet(true)) {
                change.happen();
            }
        };
    }

    /** A change the node makes to its files. */
    private interface NodeChange {
        void happen() throws IOException;
    }

    private List<String> cloneUsers(LocalClone made) throws IOException {
        return files(Path.of(made.copy().path()).resolve("data").resolve(USERS));
    }

    private static List<String> components(String... descriptors) {
        return Stream.of(descriptors).flatMap(d -> BIG.stream().map(c -> d + "-" + c)).sorted().toList();
    }

    @Test
    void anSSTableThatVanishesHalfwayIsDroppedAndItsReplacementCopied() throws Exception {
        setUp();
        // after nb-1's CompressionInfo and Data are linked, nb-1 and nb-2 are compacted into nb-3
        CopyObserver hook = onceBeforeCopying(name -> name.equals("nb-1-big-Digest.crc32"),
                () -> compact(List.of("nb-1-big", "nb-2-big"), "nb-3-big"));

        LocalClone made = copyOfData(hook);

        assertEquals(components("nb-3-big"), cloneUsers(made));
        assertTrue(made.stats().relists() >= 1);
        assertTrue(made.copy().description().contains("table listing(s) repeated"), made.copy().description());
        Path cloneTable = Path.of(made.copy().path()).resolve("data").resolve(USERS);
        assertEquals(inode(users.resolve("nb-3-big-Data.db")), inode(cloneTable.resolve("nb-3-big-Data.db")));
        assertArrayEquals(Files.readAllBytes(users.resolve("nb-3-big-Statistics.db")),
                Files.readAllBytes(cloneTable.resolve("nb-3-big-Statistics.db")));
        assertEquals(6 + 6, made.stats().linkedFiles()); // system.local and nb-3, nothing of nb-1 left counted
    }

    /** nb-1 is linked, then nb-1 and nb-2 are compacted into nb-3 while nb-2 is being linked. */
    @Test
    void aCompactionWhileItsInputsAreLinkedLeavesOnlyItsResult() throws Exception {
        setUp();
        CopyObserver hook = onceBeforeCopying(name -> name.startsWith("nb-2-big-"),
                () -> compact(List.of("nb-1-big", "nb-2-big"), "nb-3-big"));

        LocalClone made = copyOfData(hook);

        assertEquals(components("nb-3-big"), cloneUsers(made));
    }

    /**
     * nb-1 was copied whole, then compacted into nb-3 before the table's copy was done. Keeping nb-1 next to nb-3
     * could resurrect rows whose tombstones the compaction purged, so the listing after the round must notice and
     * nb-1 must leave the copy.
     */
    @Test
    void anSSTableCopiedWholeButCompactedAwayMeanwhileLeavesTheCopy() throws Exception {
        setUp();
        // the last file of the table's first round: the Summary copy of nb-2
        CopyObserver hook = onceBeforeCopying(name -> name.equals("nb-2-big-Summary.db"),
                () -> compact(List.of("nb-1-big"), "nb-3-big"));

        LocalClone made = copyOfData(hook);

        assertEquals(components("nb-2-big", "nb-3-big"), cloneUsers(made));
    }

    @Test
    void aRewrittenStatisticsFileIsCopiedAgain() throws Exception {
        setUp();
        byte[] rewritten = new byte[4321];
        // after the first round copied nb-1's Statistics, the node rewrites it (e.g. repairedAt)
        CopyObserver hook = onceBeforeCopying(name -> name.equals("nb-2-big-Summary.db"), () -> {
            Path stats = users.resolve("nb-1-big-Statistics.db");
            Path temp = users.resolve("nb-1-big-Statistics.db.new");
            Files.write(temp, rewritten);
            Files.move(temp, stats, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        });

        LocalClone made = copyOfData(hook);

        Path copy = Path.of(made.copy().path()).resolve("data").resolve(USERS).resolve("nb-1-big-Statistics.db");
        assertArrayEquals(rewritten, Files.readAllBytes(copy));
        assertEquals(1, made.stats().relists());
    }

    @Test
    void aTableThatNeverSettlesFailsAndLeavesNothing() throws Exception {
        setUp();
        AtomicInteger generation = new AtomicInteger(10);
        CopyObserver hook = source -> {
            if (source.getParent().equals(users) && source.getFileName().toString().endsWith("-Data.db")) {
                CassandraFixtures.sstable(users, "nb-" + generation.incrementAndGet() + "-big", BIG);
            }
        };

        StorageException e = assertThrows(StorageException.class,
                () -> driver(hook).createClone("r1", Source.dataDir(data.toString())));

        assertEquals(Kind.UNAVAILABLE, e.kind());
        assertTrue(e.getMessage().contains(users.toRealPath().toString()), e.getMessage());
        assertTrue(e.getMessage().contains("kept changing"), e.getMessage());
        assertNothingIn(root);
    }

    @Test
    void aCommitLogSegmentRecycledMeanwhileIsLeftOut() throws Exception {
        Path home = CassandraFixtures.home(tmp.resolve("cassandra"));
        root = tmp.resolve("clones");
        Path segment = home.resolve("commitlog/CommitLog-7-1700000000001.log");
        CopyObserver hook = source -> {
            if (source.getFileName().equals(segment.getFileName())) {
                Files.delete(segment);
            }
        };

        LocalClone made = driver(hook).createCloneWithStats("r1", Source.dataDir(home.toString()));

        Path dir = Path.of(made.copy().path());
        assertEquals(List.of("CommitLog-7-1700000000002.log"), files(dir.resolve("commitlog")));
        assertEquals(14, made.stats().copiedFiles());
    }

    @Test
    void aTableDroppedMeanwhileEndsUpEmpty() throws Exception {
        setUp();
        CopyObserver hook = source -> {
            if (source.getFileName().toString().equals("nb-2-big-Data.db") && Files.exists(users)) {
                try (Stream<Path> walk = Files.walk(users)) {
                    for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                        Files.delete(p);
                    }
                }
            }
        };

        LocalClone made = copyOfData(hook);

        assertEquals(List.of(), cloneUsers(made));
        assertFalse(Files.exists(users));
    }
}
