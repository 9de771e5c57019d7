package io.snapci.scheduler.local.storage;

import io.snapci.model.Source;
import io.snapci.scheduler.core.storage.Clone;
import io.snapci.scheduler.core.storage.StorageException;
import io.snapci.scheduler.core.storage.StorageException.Kind;
import io.snapci.scheduler.local.storage.CassandraFileClassifier.Action;
import io.snapci.scheduler.local.storage.CassandraFileClassifier.Area;
import io.snapci.scheduler.local.storage.LocalDirectoryDriver.LocalClone;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.snapci.scheduler.local.storage.CassandraFixtures.EVENTS;
import static io.snapci.scheduler.local.storage.CassandraFixtures.USERS;
import static io.snapci.scheduler.local.storage.CassandraFixtures.expectedDataFiles;
import static io.snapci.scheduler.local.storage.CassandraFixtures.files;
import static io.snapci.scheduler.local.storage.CassandraFixtures.fingerprint;
import static io.snapci.scheduler.local.storage.CassandraFixtures.inode;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LocalDirectoryDriverTest {

    private static final Instant NOW = Instant.parse("2025-11-25T06:12:53Z");

    @TempDir
    Path tmp;
    /** Where the driver makes its clones, unless a test says otherwise. */
    private Path root;

    private final CassandraFileClassifier classifier = new CassandraFileClassifier();

    @BeforeEach
    void clonesUnderTmp() {
        root = tmp.resolve("clones");
    }

    private LocalDirectoryDriver driver(Path root) {
        return new LocalDirectoryDriver(root, path -> Long.MAX_VALUE, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    /** What a copy of the fixture holds: its data files under data/, then {@code others}, then snapci's marker. */
    private static List<String> copyHolding(String... others) {
        List<String> expected = new ArrayList<>();
        expectedDataFiles().forEach(f -> expected.add("data/" + f));
        expected.addAll(List.of(others));
        expected.add(CloneMarker.FILE_NAME);
        return expected;
    }

    @Test
    void copiesACassandraHome() throws Exception {
        Path home = CassandraFixtures.home(tmp.resolve("cassandra"));

        LocalClone made = driver(root).createCloneWithStats("r1", Source.dataDir(home.toString()));

        Path dir = root.resolve("r1");
        Clone clone = made.copy();
        assertEquals(dir.toString(), clone.id());
        assertEquals(dir.toString(), clone.path());
        assertEquals("r1", clone.runId());
        assertEquals(home.toRealPath().toString(), clone.source());
        assertNull(clone.volumeName());
        assertEquals(NOW, clone.dataTakenAt());

        assertCopyHolds(dir, copyHolding(
                "commitlog/CommitLog-7-1700000000001.log",
                "commitlog/CommitLog-7-1700000000002.log"));
        assertTrue(Files.isDirectory(dir.resolve("hints")), "the copy's node has its own hints directory");
        assertFalse(Files.exists(dir.resolve("data").resolve(USERS).resolve("snapshots")));
        assertFalse(Files.exists(dir.resolve("data").resolve(USERS).resolve("backups")));

        // Linked: 5 big SSTables x 6 shareable components + 1 bti SSTable x 6 = 36. Copied: 5 Filter + 5 TOC (big)
        // + 1 Filter + 1 TOC (bti) + the txn log + 2 segments = 15. Skipped: snapshots/, backups/, the tmplink file,
        // the key cache and the 2 hint files (for production's peers, which the copy does not have) = 6.
        CopyStats stats = made.stats();
        assertEquals(5 * 6 + 6, stats.linkedFiles());
        assertEquals(5 * 2 + 2 + 1 + 2, stats.copiedFiles());
        assertEquals(6, stats.skipped());
        assertEquals(0, stats.relists());
        assertFalse(stats.reflink(), "ext4/tmpfs have no reflinks");
        assertTrue(clone.description().matches(
                "linked 36 files \\(\\d+(\\.\\d)? kB\\), copied 15 \\(\\d+(\\.\\d)? kB\\), skipped 6 in \\d+ ms"),
                clone.description());
        assertEquals(bytesOf(home, dir, Action.LINK), stats.linkedBytes());
    }

    @Test
    void copiesADataDirectoryIntoTheSameLayout() throws Exception {
        Path data = CassandraFixtures.dataDir(tmp.resolve("data"));

        Clone clone = driver(root).createClone("r1", Source.dataDir(data.toString()));

        Path dir = root.resolve("r1");
        assertCopyHolds(dir, copyHolding());
        assertTrue(clone.description().contains("no commit log copied"), clone.description());
    }

    @Test
    void linkedFilesShareTheSourceInodeAndCopiedOnesDoNot() throws Exception {
        Path home = CassandraFixtures.home(tmp.resolve("cassandra"));
        driver(root).createClone("r1", Source.dataDir(home.toString()));
        Path dir = root.resolve("r1");

        int linked = 0;
        int copied = 0;
        for (String file : files(dir)) {
            if (file.equals(CloneMarker.FILE_NAME)) {
                continue;
            }
            Path inClone = dir.resolve(file);
            Path inSource = home.resolve(file);
            assertArrayEquals(Files.readAllBytes(inSource), Files.readAllBytes(inClone), file);
            Area area = file.startsWith("data/") ? Area.TABLE : Area.COMMITLOG;
            if (classifier.classify(area, inClone.getFileName().toString()) == Action.LINK) {
                assertEquals(inode(inSource), inode(inClone), file);
                linked++;
            } else {
                assertNotEquals(inode(inSource), inode(inClone), file);
                // Java copies times at microsecond precision
                assertEquals(Files.getLastModifiedTime(inSource).toMillis(),
                        Files.getLastModifiedTime(inClone).toMillis(), file);
                copied++;
            }
        }
        assertEquals(36, linked);
        assertEquals(15, copied);
    }

    @Test
    void aSymlinkedSSTableFileIsLinkedToTheFileItPointsAtAndTheSymlinkStays() throws Exception {
        // Some nodes keep large files on another disk of the same filesystem tree and symlink them into the table.
        Path home = CassandraFixtures.home(tmp.resolve("cassandra"));
        Path data = home.resolve("data").resolve(CassandraFixtures.USERS).resolve("nb-1-big-Data.db");
        Path moved = Files.move(data, Files.createDirectories(tmp.resolve("other-disk")).resolve("users-1-Data.db"));
        Files.createSymbolicLink(data, moved);

        driver(root).createClone("r1", Source.dataDir(home.toString()));
        Path inClone = root.resolve("r1/data").resolve(CassandraFixtures.USERS).resolve("nb-1-big-Data.db");
        assertFalse(Files.isSymbolicLink(inClone), "a file of the copy, not a symlink into production");
        assertEquals(inode(moved), inode(inClone));
        assertTrue(Files.isSymbolicLink(data));
        assertEquals(moved, Files.readSymbolicLink(data));
    }

    @Test
    void ofACommitLogSegmentOnlyWhatReplayReadsIsCopiedAndTheSourceStaysAsItWas() throws Exception {
        Path home = CassandraFixtures.home(tmp.resolve("cassandra"));
        Path commitlog = home.resolve("commitlog");
        long id = 1_733_000_000_001L;
        Path segment = commitlog.resolve(CommitLogSegmentFiles.name(8, id));
        long replayed = CommitLogSegmentFiles.write(segment, 8, id, 32L * 1024 * 1024, List.of(4000, 900), 2000,
                new java.util.Random(21));
        Map<String, String> before = fingerprint(home);

        LocalClone made = driver(root).createCloneWithStats("r1", Source.dataDir(home.toString()));

        Path copied = root.resolve("r1/commitlog").resolve(segment.getFileName().toString());
        assertEquals(replayed, Files.size(copied), "the header and both synced sections, not the unsynced tail");
        byte[] prefix = new byte[(int) replayed];
        try (var in = Files.newInputStream(segment)) {
            assertEquals(replayed, in.readNBytes(prefix, 0, prefix.length));
        }
        assertArrayEquals(prefix, Files.readAllBytes(copied));
        assertNotEquals(inode(segment), inode(copied));
        assertEquals(Files.getLastModifiedTime(segment).toMillis(), Files.getLastModifiedTime(copied).toMillis());
        // The fixture's other two segments are not in Cassandra's layout: copied whole, as replay would read them.
        for (String other : List.of("CommitLog-7-1700000000001.log", "CommitLog-7-1700000000002.log")) {
            assertArrayEquals(Files.readAllBytes(commitlog.resolve(other)),
                    Files.readAllBytes(root.resolve("r1/commitlog").resolve(other)));
        }
        assertEquals(5 * 2 + 2 + 1 + 3, made.stats().copiedFiles());
        assertTrue(made.stats().copiedBytes() < 1024 * 1024, "a few kB, not the 32 MiB segment: " + made.stats());
        assertEquals(List.of(), CassandraFixtures.differences(before, fingerprint(home)));
    }

    @Test
    void aCommitLogSegmentThatVanishesBeforeItsCopyIsLeftOut() throws Exception {
        Path home = CassandraFixtures.home(tmp.resolve("cassandra"));
        long id = 1_733_000_000_002L;
        Path segment = home.resolve("commitlog").resolve(CommitLogSegmentFiles.name(8, id));
        CommitLogSegmentFiles.write(segment, 8, id, 1024 * 1024, List.of(100), 0, new java.util.Random(22));
        LocalDirectoryDriver driver = new LocalDirectoryDriver(root, path -> Long.MAX_VALUE, Clock.systemUTC(),
                source -> {
                    if (source.equals(segment)) {
                        Files.delete(source); // discarded by the live node: all its writes were flushed
                    }
                });

        LocalClone made = driver.createCloneWithStats("r1", Source.dataDir(home.toString()));

        assertFalse(Files.exists(root.resolve("r1/commitlog").resolve(segment.getFileName().toString())));
        assertEquals(5 * 2 + 2 + 1 + 2, made.stats().copiedFiles());
    }

    @Test
    void aFilterCassandraWillNotRebuildIsLinkedWhenTheReleaseAllowsItAndCopiedOtherwise() throws Exception {
        Path home = CassandraFixtures.home(tmp.resolve("cassandra"));
        Path sourceFilter = withWellFormedMetadata(home);
        Path otherFilter = home.resolve("data").resolve(CassandraFixtures.LOCAL).resolve("nb-1-big-Filter.db");

        new LocalDirectoryDriver(root, path -> Long.MAX_VALUE, Clock.fixed(NOW, ZoneOffset.UTC),
                FilterSharing.forRelease("5.0.6")).createClone("shared", Source.dataDir(home.toString()));
        Path shared = root.resolve("shared").resolve("data");
        assertEquals(inode(sourceFilter), inode(shared.resolve(CassandraFixtures.USERS).resolve("nb-1-big-Filter.db")));
        assertNotEquals(inode(otherFilter),
                inode(shared.resolve(CassandraFixtures.LOCAL).resolve("nb-1-big-Filter.db")));
        assertArrayEquals(Files.readAllBytes(sourceFilter),
                Files.readAllBytes(shared.resolve(CassandraFixtures.USERS).resolve("nb-1-big-Filter.db")));

        driver(root).createClone("copied", Source.dataDir(home.toString()));
        assertNotEquals(inode(sourceFilter),
                inode(root.resolve("copied/data").resolve(CassandraFixtures.USERS).resolve("nb-1-big-Filter.db")),
                "without a release that allows it, every filter is copied");
    }

    /**
     * Gives shop.users nb-1-big of the fixture well-formed metadata, so its filter may be linked; the fixture's other
     * SSTables keep bytes no Cassandra wrote, so their filters must still be copied. Returns that filter.
     */
    private static Path withWellFormedMetadata(Path home) throws IOException {
        Path users = home.resolve("data").resolve(CassandraFixtures.USERS);
        SSTableMetadataFiles.filter(users.resolve("nb-1-big-Filter.db"), 1024, new java.util.Random(2));
        SSTableMetadataFiles.statistics(users.resolve("nb-1-big-Statistics.db"),
                "org.apache.cassandra.dht.Murmur3Partitioner", 0.01, 200);
        SSTableMetadataFiles.toc(users.resolve("nb-1-big-TOC.txt"), CassandraFixtures.BIG);
        return users.resolve("nb-1-big-Filter.db");
    }

    @Test
    void aSecondCopyOfTheSameSourceTakesTheFilterVerdictsOfItsUnchangedSSTablesFromTheFirst() throws Exception {
        Path home = CassandraFixtures.home(tmp.resolve("cassandra"));
        Path sourceFilter = withWellFormedMetadata(home);
        Path users = sourceFilter.getParent();
        Path toc = users.resolve("nb-1-big-TOC.txt");
        FileTime anHourAgo = FileTime.from(Instant.now().minusSeconds(3600));
        try (Stream<Path> files = Files.list(users)) {
            for (Path file : files.toList()) {
                Files.setLastModifiedTime(file, anHourAgo);
            }
        }
        LocalDirectoryDriver driver = new LocalDirectoryDriver(root, path -> Long.MAX_VALUE,
                Clock.fixed(NOW, ZoneOffset.UTC), FilterSharing.forRelease("5.0.6"));
        driver.createClone("first", Source.dataDir(home.toString()));

        Path firstToc = root.resolve("first/data").resolve(CassandraFixtures.USERS).resolve("nb-1-big-TOC.txt");
        assertArrayEquals(Files.readAllBytes(toc), Files.readAllBytes(firstToc),
                "written from the bytes the proof read");
        assertEquals(anHourAgo, Files.getLastModifiedTime(firstToc), "with the source's time");
        assertNotEquals(inode(toc), inode(firstToc));

        // The TOC now leaves the filter out (a proof would say "copy"), but its size and time are as they were: to
        // the driver that proved it, the same file.
        byte[] proved = Files.readAllBytes(toc);
        Files.writeString(toc, Files.readString(toc).replace("Filter.db", "Xilter.db"));
        Files.setLastModifiedTime(toc, anHourAgo);
        driver.createClone("second", Source.dataDir(home.toString()));
        assertEquals(inode(sourceFilter),
                inode(root.resolve("second/data").resolve(CassandraFixtures.USERS).resolve("nb-1-big-Filter.db")),
                "the verdict of the first copy: nothing read again");
        assertArrayEquals(proved, Files.readAllBytes(root.resolve("second/data").resolve(CassandraFixtures.USERS)
                .resolve("nb-1-big-TOC.txt")), "nor the TOC: written from the bytes the first copy's proof read");

        new LocalDirectoryDriver(root, path -> Long.MAX_VALUE, Clock.fixed(NOW, ZoneOffset.UTC),
                FilterSharing.forRelease("5.0.6")).createClone("fresh", Source.dataDir(home.toString()));
        assertNotEquals(inode(sourceFilter),
                inode(root.resolve("fresh/data").resolve(CassandraFixtures.USERS).resolve("nb-1-big-Filter.db")),
                "a driver that copied nothing before proves it: copied");
    }

    @Test
    void theVerdictsKeptInAFileServeTheNextProcess() throws Exception {
        Path home = CassandraFixtures.home(tmp.resolve("cassandra"));
        Path sourceFilter = withWellFormedMetadata(home);
        Path toc = sourceFilter.resolveSibling("nb-1-big-TOC.txt");
        FileTime anHourAgo = FileTime.from(Instant.now().minusSeconds(3600));
        try (Stream<Path> files = Files.list(sourceFilter.getParent())) {
            for (Path file : files.toList()) {
                Files.setLastModifiedTime(file, anHourAgo);
            }
        }
        Path verdicts = tmp.resolve("state/filter-verdicts.json");
        remembering(verdicts).createClone("first", Source.dataDir(home.toString()));
        assertEquals(List.of("filter-verdicts.json"), names(tmp.resolve("state")));

        byte[] proved = Files.readAllBytes(toc);
        Files.writeString(toc, Files.readString(toc).replace("Filter.db", "Xilter.db"));
        Files.setLastModifiedTime(toc, anHourAgo);
        remembering(verdicts).createClone("second", Source.dataDir(home.toString()));
        assertEquals(inode(sourceFilter),
                inode(root.resolve("second/data").resolve(CassandraFixtures.USERS).resolve("nb-1-big-Filter.db")),
                "the verdict the first process saved: nothing read again");
        assertArrayEquals(proved, Files.readAllBytes(root.resolve("second/data").resolve(CassandraFixtures.USERS)
                .resolve("nb-1-big-TOC.txt")), "the TOC from the bytes the first process saved");
        assertEquals(List.of("first", "second"), names(root), "the clone root holds only the copies");
    }

    @Test
    void aTocWrittenJustBeforeTheCopyIsCopiedFromTheFileAsItIsThen() throws Exception {
        // Changed within one tick of its modification time, a TOC could keep its size and time: the bytes its proof
        // read are trusted only for a TOC that had settled, so one written a moment ago is read again when copied.
        Path home = CassandraFixtures.home(tmp.resolve("cassandra"));
        Path toc = withWellFormedMetadata(home).resolveSibling("nb-1-big-TOC.txt");
        Path data = toc.resolveSibling("nb-1-big-Data.db");
        byte[] rewritten = Files.readString(toc).replace("Filter.db", "Xilter.db").getBytes();
        CopyObserver rewriteOnceLinked = source -> {
            if (source.equals(data) && !java.util.Arrays.equals(rewritten, Files.readAllBytes(toc))) {
                FileTime time = Files.getLastModifiedTime(toc);
                Files.write(toc, rewritten);
                Files.setLastModifiedTime(toc, time);
            }
        };
        new LocalDirectoryDriver(root, path -> Long.MAX_VALUE, Clock.systemUTC(), rewriteOnceLinked,
                FilterSharing.forRelease("5.0.6")).createClone("fresh", Source.dataDir(home.toString()));
        assertArrayEquals(rewritten, Files.readAllBytes(root.resolve("fresh/data").resolve(CassandraFixtures.USERS)
                .resolve("nb-1-big-TOC.txt")), "read when copied, after the proof read it");
    }

    private LocalDirectoryDriver remembering(Path verdicts) {
        return new LocalDirectoryDriver(root, path -> Long.MAX_VALUE, Clock.fixed(NOW, ZoneOffset.UTC),
                FilterSharing.forRelease("5.0.6"), verdicts);
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void theMarkerProvesTheCopy() throws Exception {
        Path home = CassandraFixtures.home(tmp.resolve("cassandra"));
        LocalClone made = driver(root).createCloneWithStats("r1", Source.dataDir(home.toString()));

        CloneMarker marker = CloneMarker.readFrom(root.resolve("r1")).orElseThrow();
        assertEquals("r1", marker.runId());
        assertEquals(home.toRealPath().toString(), marker.source());
        assertEquals(NOW, marker.createdAt());
        assertTrue(marker.complete());
        assertEquals(made.stats(), marker.stats());
        assertEquals(made.copy().description(), marker.description());
    }

    @Test
    void makesAnEmptyCopyWithoutASource() throws Exception {
        LocalClone made = driver(root).createCloneWithStats("r1", null);

        Path dir = root.resolve("r1");
        assertEquals(List.of(CloneMarker.FILE_NAME), files(dir));
        for (String sub : LocalDirectoryDriver.LAYOUT) {
            assertTrue(Files.isDirectory(dir.resolve(sub)), sub);
        }
        assertNull(made.copy().source());
        assertEquals(CopyStats.NONE, made.stats());
        assertEquals(List.of(made.copy()), driver(root).listClones());
    }

    // --- validation --------------------------------------------------------------------------------------------

    @Test
    void aMissingSourceIsNotFound() throws IOException {
        Path missing = tmp.resolve("nowhere/cassandra");
        StorageException e = refused(Kind.SOURCE_NOT_FOUND, root, Source.dataDir(missing.toString()));
        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("/var/lib/cassandra"), e.getMessage());
        assertNothingIn(root);
    }

    @Test
    void aFileIsNotASource() throws Exception {
        Path file = CassandraFixtures.write(tmp.resolve("cassandra.yaml"), 10);
        StorageException e = refused(Kind.INVALID_SOURCE, root, Source.dataDir(file.toString()));
        assertTrue(e.getMessage().contains("not a directory"), e.getMessage());
    }

    @Test
    void anEmptyDirectoryIsNotASource() throws Exception {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        StorageException e = refused(Kind.INVALID_SOURCE, root, Source.dataDir(empty.toString()));
        assertTrue(e.getMessage().contains("is empty"), e.getMessage());
        assertTrue(e.getMessage().contains("data_file_directories"), e.getMessage());
    }

    @Test
    void aDirectoryWithoutKeyspacesIsNotASource() throws Exception {
        Path other = tmp.resolve("project");
        CassandraFixtures.write(other.resolve("pom.xml"), 10);
        CassandraFixtures.write(other.resolve("src/Main.java"), 10);
        StorageException e = refused(Kind.INVALID_SOURCE, root, Source.dataDir(other.toString()));
        assertTrue(e.getMessage().contains("system_schema"), e.getMessage());
        assertTrue(e.getMessage().contains("<table>-<32 hex id>"), e.getMessage());
        assertTrue(e.getMessage().contains("found pom.xml, src/"), e.getMessage());
    }

    @Test
    void keyspacesWithoutTableDirectoriesAreNotASource() throws Exception {
        Path data = tmp.resolve("data");
        CassandraFixtures.write(data.resolve("system/local/nb-1-big-Data.db"), 10); // no <table>-<id> directory
        refused(Kind.INVALID_SOURCE, root, Source.dataDir(data.toString()));
    }

    @Test
    void tablesWithoutASystemKeyspaceAreNotASource() throws Exception {
        Path data = tmp.resolve("data");
        CassandraFixtures.sstable(data.resolve(USERS), "nb-1-big", CassandraFixtures.BIG);
        refused(Kind.INVALID_SOURCE, root, Source.dataDir(data.toString()));
    }

    @Test
    void aHomeWhoseDataIsNotCassandrasIsNamed() throws Exception {
        Path home = tmp.resolve("cassandra");
        CassandraFixtures.write(home.resolve("data/readme.txt"), 10);
        CassandraFixtures.write(home.resolve("commitlog/CommitLog-7-1.log"), 10);
        StorageException e = refused(Kind.INVALID_SOURCE, root, Source.dataDir(home.toString()));
        assertTrue(e.getMessage().contains("its data/ is not a Cassandra data directory"), e.getMessage());
    }

    @Test
    void aVolumeIsNotALocalSource() {
        StorageException e = refused(Kind.INVALID_SOURCE, root, Source.volume("cassandra-prod"));
        assertTrue(e.getMessage().contains("volume cassandra-prod"), e.getMessage());
    }

    @Test
    void refusesACloneRootInsideTheSourceWithoutWritingThere() throws Exception {
        Path home = CassandraFixtures.home(tmp.resolve("cassandra"));
        Map<String, String> before = fingerprint(home);
        StorageException e = refused(Kind.REFUSED, home.resolve("clones"), Source.dataDir(home.toString()));
        assertTrue(e.getMessage().contains("inside the source"), e.getMessage());
        assertTrue(e.getMessage().contains("--work-root"), e.getMessage());
        assertEquals(List.of(), CassandraFixtures.differences(before, fingerprint(home)));
    }

    @Test
    void refusesACloneRootInsideTheSourceThroughASymlink() throws Exception {
        Path home = CassandraFixtures.home(tmp.resolve("cassandra"));
        Path link = Files.createSymbolicLink(tmp.resolve("work"), home.resolve("data"));
        refused(Kind.REFUSED, link.resolve("clones"), Source.dataDir(home.toString()));
    }

    @Test
    void refusesASourceInsideTheCloneRoot() throws Exception {
        Path data = CassandraFixtures.dataDir(root.resolve("r0/data"));
        StorageException e = refused(Kind.REFUSED, root, Source.dataDir(data.toString()));
        assertTrue(e.getMessage().contains("inside the clone root"), e.getMessage());
        assertFalse(Files.exists(root.resolve("r1")));
    }

    @Test
    void anExistingCopyIsAConflictAndIsLeftAlone() throws Exception {
        Path data = CassandraFixtures.dataDir(tmp.resolve("data"));
        Path existing = CassandraFixtures.write(root.resolve("r1/precious.txt"), 10);
        byte[] content = Files.readAllBytes(existing);

        StorageException e = refused(Kind.CONFLICT, root, Source.dataDir(data.toString()));
        assertTrue(e.getMessage().contains(root.resolve("r1").toString()), e.getMessage());
        assertArrayEquals(content, Files.readAllBytes(existing));
        assertEquals(List.of("precious.txt"), files(root.resolve("r1")));
    }

    @Test
    void refusesRunIdsThatAreNotOneDirectoryName() throws Exception {
        Path data = CassandraFixtures.dataDir(tmp.resolve("data"));
        for (String bad : new String[]{"../escape", "..", ".", "a/b", "", " r1", "-r1"}) {
            StorageException e = assertThrows(StorageException.class,
                    () -> driver(root).createClone(bad, Source.dataDir(data.toString())), bad);
            assertEquals(Kind.REFUSED, e.kind(), bad);
        }
        assertFalse(Files.exists(tmp.resolve("escape")));
    }

    // --- disk space ---------------------------------------------------------------------------------------------

    @Test
    void notEnoughSpaceIsRefusedBeforeCopyingAndLeavesNothing() throws Exception {
        Path home = CassandraFixtures.home(tmp.resolve("cassandra"));
        long free = 10L * 1024 * 1024;
        LocalDirectoryDriver driver = new LocalDirectoryDriver(root, path -> free, Clock.systemUTC());

        StorageException e = assertThrows(StorageException.class,
                () -> driver.createClone("r1", Source.dataDir(home.toString())));

        assertEquals(Kind.NO_SPACE, e.kind());
        assertTrue(e.getMessage().contains(root.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("10.5 MB is free"), e.getMessage());
        assertTrue(e.getMessage().contains("needs about 67."), e.getMessage()); // the copies + 64 MiB margin
        assertTrue(e.getMessage().contains("--work-root"), e.getMessage());
        assertNothingIn(root);
    }

    @Test
    void theMarginGrowsWithTheCopy() throws Exception {
        Path data = tmp.resolve("data");
        CassandraFixtures.sstable(data.resolve(CassandraFixtures.LOCAL), "nb-1-big", CassandraFixtures.BIG);
        // 2 GB to copy (sparse: costs nothing here), so the margin is 5% of it, not 64 MiB
        try (var file = java.nio.channels.FileChannel.open(data.resolve(CassandraFixtures.LOCAL)
                .resolve("nb-1-big-Filter.db"), java.nio.file.StandardOpenOption.WRITE)) {
            file.truncate(0);
            file.write(java.nio.ByteBuffer.wrap(new byte[1]), 2_000_000_000L - 1);
        }
        LocalDirectoryDriver driver = new LocalDirectoryDriver(root, path -> 2_050_000_000L, Clock.systemUTC());
        StorageException e = assertThrows(StorageException.class,
                () -> driver.createClone("r1", Source.dataDir(data.toString())));
        assertEquals(Kind.NO_SPACE, e.kind());
        assertTrue(e.getMessage().contains("+ 100.0 MB to spare"), e.getMessage());
        assertNothingIn(root);
    }

    @Test
    void aDiskFillingUpWhileCopyingIsNoSpaceAndLeavesNothing() throws Exception {
        StorageException e = copyBrokenBy(StorageException.class, source -> {
            if (source.getFileName().toString().endsWith("Statistics.db")) {
                throw new FileSystemException(source.toString(), null, "No space left on device");
            }
        });

        assertEquals(Kind.NO_SPACE, e.kind());
        assertTrue(e.getMessage().contains("No space left on device"), e.getMessage());
    }

    @Test
    void anyFailureWhileCopyingLeavesNothing() throws Exception {
        copyBrokenBy(IllegalStateException.class, source -> {
            if (source.toString().contains("events")) {
                throw new IllegalStateException("boom");
            }
        });
    }

    /** The copy in {@code dir} holds exactly the {@code expected} files, in a Cassandra home's whole layout. */
    private static void assertCopyHolds(Path dir, List<String> expected) throws IOException {
        assertEquals(expected.stream().sorted().toList(), files(dir));
        for (String sub : LocalDirectoryDriver.LAYOUT) {
            assertTrue(Files.isDirectory(dir.resolve(sub)), sub);
        }
    }

    /** Copying {@code source} into {@code root} is refused as {@code kind}; the refusal, for its message. */
    private StorageException refused(Kind kind, Path root, Source source) {
        StorageException e = assertThrows(StorageException.class, () -> driver(root).createClone("r1", source));
        assertEquals(kind, e.kind());
        return e;
    }

    /** A copy of a Cassandra home that {@code breaker} makes fail: what it threw, once shown to leave nothing. */
    private <T extends Throwable> T copyBrokenBy(Class<T> expected, CopyObserver breaker) throws Exception {
        Path home = CassandraFixtures.home(tmp.resolve("cassandra"));
        LocalDirectoryDriver driver = new LocalDirectoryDriver(root, path -> Long.MAX_VALUE, Clock.systemUTC(),
                breaker);
        T thrown = assertThrows(expected, () -> driver.createClone("r1", Source.dataDir(home.toString())));
        assertNothingIn(root);
        return thrown;
    }

    // --- listing ------------------------------------------------------------------------------------------------

    @Test
    void listsTheCopiesItMadeAndNothingElse() throws Exception {
        Path data = CassandraFixtures.dataDir(tmp.resolve("data"));
        LocalDirectoryDriver driver = driver(root);
        Clone one = driver.createClone("r1", Source.dataDir(data.toString()));
        Clone two = driver.createClone("r2", null);
        Files.createDirectories(root.resolve("unmarked"));
        Files.createDirectories(root.resolve("other"));
        Files.copy(root.resolve("r1").resolve(CloneMarker.FILE_NAME),
                root.resolve("other").resolve(CloneMarker.FILE_NAME)); // a marker naming run r1 in dir "other"
        CassandraFixtures.write(root.resolve("stray.json"), 10);
        Files.createSymbolicLink(root.resolve("alias"), root.resolve("r1"));

        assertEquals(List.of(one, two), driver.listClones());
    }

    @Test
    void listsAnInterruptedCopySoItCanBeDeleted() throws Exception {
        Files.createDirectories(root.resolve("r1/data/shop"));
        new CloneMarker(CloneMarker.FORMAT, "r1", "/var/lib/cassandra", NOW, null, false, "copying", null)
                .writeTo(root.resolve("r1"));

        List<Clone> clones = driver(root).listClones();

        assertEquals(1, clones.size());
        assertTrue(clones.get(0).description().startsWith("incomplete copy"), clones.get(0).description());
        assertEquals(NOW, clones.get(0).dataTakenAt());
        driver(root).deleteClone(clones.get(0));
        assertNothingIn(root);
    }

    @Test
    void listsNothingWhenTheRootDoesNotExist() throws Exception {
        assertEquals(List.of(), driver(root).listClones());
    }

    private long bytesOf(Path home, Path dir, Action action) throws IOException {
        long bytes = 0;
        for (String file : files(dir.resolve("data"))) {
            Path p = dir.resolve("data").resolve(file);
            if (classifier.classify(Area.TABLE, p.getFileName().toString()) == action) {
                bytes += Files.size(home.resolve("data").resolve(file));
            }
        }
        return bytes;
    }

    static void assertNothingIn(Path root) throws IOException {
        if (Files.exists(root)) {
            try (var children = Files.list(root)) {
                assertEquals(List.of(), children.toList());
            }
        }
    }
}
