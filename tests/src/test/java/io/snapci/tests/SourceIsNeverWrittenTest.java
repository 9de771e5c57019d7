package io.snapci.tests;

import com.datastax.oss.driver.api.core.CqlSession;
import io.snapci.model.Phase;
import io.snapci.model.RunSpec;
import io.snapci.model.RunStatus;
import io.snapci.model.Source;
import io.snapci.scheduler.local.LocalMode;
import io.snapci.scheduler.core.storage.Clone;
import io.snapci.scheduler.local.storage.DirectoryFingerprint;
import io.snapci.scheduler.local.storage.DiskSpace;
import io.snapci.scheduler.local.storage.FilterSharing;
import io.snapci.scheduler.local.storage.LocalDirectoryDriver;
import io.snapci.tests.support.LeftoverProcesses;
import io.snapci.tests.support.RecordingObserver;
import io.snapci.tests.support.ShopOrders;
import io.snapci.tests.support.Snapci;
import io.snapci.tests.support.SourceNode;
import io.snapci.tests.support.WriteCompactDelete;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Production data is sacred: a run whose tests index, write, delete, flush, compact, truncate and drop in the copy leaves
 * every file of the source exactly as it was (SHA-256, inode, size, mtime, permissions), for a stopped source and
 * for a running one after a flush. One source node is booted for the whole story.
 */
class SourceIsNeverWrittenTest {

    private static final int ROWS = 2000;
    /** Rows production holds now: the running-source test writes one, as production would. */
    private static final AtomicInteger rowsInProduction =
            new AtomicInteger(ROWS);

    @TempDir
    static Path dir;
    static Path source;

    @BeforeAll
    static void createProductionData() throws Exception {
        source = dir.resolve("production");
        try (SourceNode node = SourceNode.start(source, dir.resolve("production-config"));
             CqlSession session = node.connect()) {
            ShopOrders.create(session);
            session.execute("CREATE TABLE shop.audit (id int PRIMARY KEY, note text)");
            // Two SSTables, so the copy's compaction really rewrites files.
            ShopOrders.write(node, session, 0, ROWS, ROWS / 2);
            session.execute("INSERT INTO shop.audit (id, note) VALUES (1, 'created')");
        }
    }

    private static RunSpec writingSuiteOn(Path sourceDir) {
        String command = "'" + Snapci.javaBinary() + "' -cp '" + Snapci.testClasspath() + "' "
                + WriteCompactDelete.class.getName();
        return new RunSpec(Source.dataDir(sourceDir.toString()), command, null, dir.toString(), Map.of(), null,
                null, null, Map.of());
    }

    /** A run of the writing suite on production, through a local mode of its own, and what it printed. */
    private record PassedRun(LocalMode local, RunStatus run, RecordingObserver observer) {
    }

    /** Runs the writing suite on production with a work root {@code work}; it must pass. */
    private static PassedRun runWritingSuite(String work) throws Exception {
        LocalMode local = new LocalMode(dir.resolve(work), Snapci.cassandraRuntime(), dir, Clock.systemUTC());
        RecordingObserver observer = new RecordingObserver();
        local.service().addObserver(observer);
        RunStatus run = local.service().execute(local.service().submit(writingSuiteOn(source)).id());
        assertEquals(Phase.PASSED, run.phase(), run.message() + "\n" + observer.outputText());
        return new PassedRun(local, run, observer);
    }

    @Test
    void aStoppedSourceIsUnchangedAfterTestsThatWriteCompactAndDeleteInTheCopy() throws Exception {
        DirectoryFingerprint before = DirectoryFingerprint.of(source);

        PassedRun passed = runWritingSuite("work-stopped");

        RunStatus run = passed.run();
        RecordingObserver observer = passed.observer();
        assertTrue(observer.output.contains("read " + rowsInProduction.get() + " rows"), observer.outputText());
        assertTrue(observer.output.contains("indexed the copied SSTables: 1 row for customer-42"), observer.outputText());
        assertTrue(observer.output.contains("wrote, deleted, compacted, truncated and dropped in the copy"));
        assertEquals(java.util.List.of(), DirectoryFingerprint.of(source).differencesFrom(before));
        assertTrue(run.cleanedUp());
        assertNoCopyOrProcessLeft(passed.local());
        // The copy's filter verdicts are kept for the next process on this work root, for the bundled release.
        com.fasterxml.jackson.databind.JsonNode verdicts = io.snapci.model.Json.mapper()
                .readTree(passed.local().workRoot().resolve("state/filter-verdicts.json").toFile());
        assertEquals(Snapci.cassandraRuntime().release(), verdicts.path("release").asText(), verdicts.toString());
    }

    @Test
    void aRunningSourceAfterAFlushIsCopiedWithItsLatestRowsAndItsTablesAreUnchanged() throws Exception {
        try (SourceNode node = SourceNode.start(source, dir.resolve("production-config-2"));
             CqlSession session = node.connect()) {
            session.execute("INSERT INTO shop.orders (id, customer, total) VALUES (-1, 'written while running', 0)");
            int rows = rowsInProduction.incrementAndGet();
            node.flush("shop");
            Path shopTables = source.resolve("data").resolve("shop");
            DirectoryFingerprint before = DirectoryFingerprint.of(shopTables);

            PassedRun passed = runWritingSuite("work-running");

            assertTrue(passed.observer().output.contains("read " + rows + " rows"), passed.observer().outputText());
            assertEquals(java.util.List.of(), DirectoryFingerprint.of(shopTables).differencesFrom(before));
            assertEquals(rows, session.execute("SELECT count(*) FROM shop.orders").one().getLong(0),
                    "production still has its rows, and none the tests wrote");
            assertNoCopyOrProcessLeft(passed.local());
        }
    }

    /**
     * A node that crashed (no drain, no flush) holds its latest rows only in its commit log. The copy takes of each
     * segment only what replay reads (a few kB of a 32 MiB segment), and the copy's node still replays every row;
     * production's files stay as they were.
     */
    @Test
    void aCrashedSourcesUnflushedRowsAreReplayedFromTheCopiedPartOfItsCommitLog() throws Exception {
        int unflushed = 300;
        SourceNode node = SourceNode.startSyncingOften(source, dir.resolve("production-config-crash"));
        try (CqlSession session = node.connect()) {
            for (int i = 0; i < unflushed; i++) {
                session.execute("INSERT INTO shop.orders (id, customer, total) VALUES (" + (1_000_000 + i)
                        + ", 'only in the commit log', 1)");
            }
            Thread.sleep(1000); // ten commit log syncs: the rows are durable, as the source itself would replay them
        } finally {
            node.crash();
        }
        rowsInProduction.addAndGet(unflushed);
        Path commitlog = source.resolve("commitlog");
        DirectoryFingerprint before = DirectoryFingerprint.of(source);

        LocalDirectoryDriver driver = new LocalDirectoryDriver(dir.resolve("crash-clones"));
        Clone clone = driver.createClone("crashed", Source.dataDir(source.toString()));
        long sourceBytes = 0;
        long copiedBytes = 0;
        try (Stream<Path> segments = Files.list(commitlog)) {
            for (Path segment : segments.toList()) {
                Path copied = Path.of(clone.path()).resolve("commitlog").resolve(segment.getFileName().toString());
                byte[] copy = Files.readAllBytes(copied);
                byte[] original = Files.readAllBytes(segment);
                assertArrayEquals(Arrays.copyOf(original, copy.length), copy, "a prefix of " + segment);
                sourceBytes += original.length;
                copiedBytes += copy.length;
            }
        } finally {
            driver.deleteClone(clone);
        }
        assertTrue(sourceBytes >= 32L * 1024 * 1024, "Cassandra creates each segment at its full size");
        assertTrue(copiedBytes < sourceBytes / 8, copiedBytes + " of " + sourceBytes + " bytes copied");

        PassedRun passed = runWritingSuite("work-crashed");

        assertTrue(passed.observer().output.contains("read " + rowsInProduction.get() + " rows"),
                passed.observer().outputText());
        assertEquals(List.of(), DirectoryFingerprint.of(source).differencesFrom(before));
        assertNoCopyOrProcessLeft(passed.local());
    }

    /**
     * The bloom filters of a real node's SSTables pass FilterSharing's proof, so a copy links them: the proof reads
     * the files Cassandra writes, not only the test's own rendering of them.
     */
    @Test
    void aRealNodesFiltersAreLinkedIntoTheCopyByTheBundledCassandra() throws Exception {
        FilterSharing sharing = FilterSharing.forRelease(Snapci.cassandraRuntime().release());
        assertTrue(sharing.enabled(), "FilterSharing was checked against the bundled Cassandra's loading code; after a"
                + " version bump, read the new release's FilterComponent and *TableReaderLoadingBuilder, then list it"
                + " in FilterSharing.READ_RELEASES");
        LocalDirectoryDriver driver = new LocalDirectoryDriver(dir.resolve("filter-clones"), DiskSpace.fileStores(),
                Clock.systemUTC(), sharing);
        Clone clone = driver.createClone("filters", Source.dataDir(source.toString()));
        try {
            List<Path> filters = filters(source.resolve("data").resolve("shop"));
            assertTrue(filters.size() >= 3, "shop.orders' two SSTables and shop.audit's: " + filters);
            for (Path filter : filters) {
                assertEquals(inode(filter), inode(Path.of(clone.path()).resolve(source.relativize(filter))),
                        filter + " is shared");
            }
        } finally {
            driver.deleteClone(clone);
        }
    }

    /**
     * A filter Cassandra cannot read is rebuilt and rewritten in place when the node opens its SSTable
     * (FilterComponent.save, WriteMode.OVERWRITE): linked, that rebuild would write production's file. It is copied,
     * so the rebuild writes the copy's file only.
     */
    @Test
    void aFilterCassandraMustRebuildIsCopiedSoTheRebuildWritesOnlyTheCopy() throws Exception {
        Path damaged = dir.resolve("production-with-a-damaged-filter");
        Process cp = new ProcessBuilder("cp", "-a", source.toString(), damaged.toString()).inheritIO().start();
        assertEquals(0, cp.waitFor());
        Path filter = filters(damaged.resolve("data").resolve("shop")).get(0);
        byte[] start = Arrays.copyOf(Files.readAllBytes(filter), 5);
        Files.write(filter, start); // its header cut short: Cassandra cannot read it
        DirectoryFingerprint before = DirectoryFingerprint.of(damaged);
        LocalDirectoryDriver driver = new LocalDirectoryDriver(dir.resolve("damaged-clones"), DiskSpace.fileStores(),
                Clock.systemUTC(), FilterSharing.forRelease(Snapci.cassandraRuntime().release()));
        Clone clone = driver.createClone("damaged", Source.dataDir(damaged.toString()));
        try {
            Path inCopy = Path.of(clone.path()).resolve(damaged.relativize(filter));
            assertNotEquals(inode(filter), inode(inCopy));
            try (SourceNode node = SourceNode.start(Path.of(clone.path()), dir.resolve("damaged-config"));
                 CqlSession session = node.connect()) {
                assertEquals(rowsInProduction.get(),
                        session.execute("SELECT count(*) FROM shop.orders").one().getLong(0));
            }
            assertTrue(Files.size(inCopy) > 5, "the node rebuilt the filter it could not read, in the copy");
            assertArrayEquals(start, Files.readAllBytes(filter), "production's filter is as it was");
            assertEquals(List.of(), DirectoryFingerprint.of(damaged).differencesFrom(before));
        } finally {
            driver.deleteClone(clone);
        }
    }

    private static List<Path> filters(Path keyspace) throws Exception {
        try (Stream<Path> files = Files.walk(keyspace)) {
            return files.filter(p -> p.getFileName().toString().endsWith("-Filter.db"))
                    .filter(p -> !p.toString().contains("/snapshots/")).sorted().toList();
        }
    }

    private static Object inode(Path file) throws Exception {
        return Files.readAttributes(file, BasicFileAttributes.class).fileKey();
    }

    static void assertNoCopyOrProcessLeft(LocalMode local) throws Exception {
        Path clones = local.workRoot().resolve("clones");
        try (Stream<Path> left = Files.exists(clones) ? Files.list(clones) : Stream.empty()) {
            assertEquals(java.util.List.of(), left.toList(), "no copy is left");
        }
        assertEquals(java.util.List.of(), LeftoverProcesses.mentioning(local.workRoot()), "no process is left");
    }
}
