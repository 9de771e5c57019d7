package io.snapci.scheduler.local.storage;

import io.snapci.scheduler.local.storage.CassandraFileClassifier.Action;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static io.snapci.scheduler.local.storage.FilterProofsTest.filterAction;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A driver's memory of the SSTables it copied: a later copy keeps the filter verdict of an SSTable whose files are as
 * they were, proves the others anew, never keeps one written just before it was proved, and stays within its bound.
 *
 * <p>To see whether a verdict was kept or proved again, the tests change a proved SSTable's TOC so that a new proof
 * says "copy" ({@code Filter.db} no longer listed) while keeping its size and time where the memory should hold.
 */
class ListingMemoryTest {

    private static final FilterSharing SHARING = FilterSharing.forRelease("5.0.6");
    private static final List<String> TOC = List.of("Data.db", "Filter.db", "Statistics.db", "TOC.txt");
    private static final CassandraFileClassifier CLASSIFIER = new CassandraFileClassifier(SHARING);

    @TempDir
    Path dir;

    @Test
    void aLaterCopyKeepsTheVerdictOfUnchangedSSTablesAndProvesChangedOnesAnew() throws Exception {
        Path table = settledTable("1", 2);
        ListingMemory memory = new ListingMemory(100);
        TableListing copied = TableListing.of(table, CLASSIFIER, memory.recall(table));
        assertEquals(Action.LINK, filterAction(copied, 1));
        assertEquals(Action.LINK, filterAction(copied, 2));
        memory.remember(table, copied);

        unlistFilterKeepingSizeAndTime(table, 1);
        unlistFilterKeepingSizeAndTime(table, 2);
        Path toc2 = table.resolve("nb-2-big-TOC.txt");
        Files.setLastModifiedTime(toc2, FileTime.from(Files.getLastModifiedTime(toc2).toInstant().plusSeconds(1)));

        TableListing later = TableListing.of(table, CLASSIFIER, memory.recall(table));
        assertEquals(Action.LINK, filterAction(later, 1), "the same files: the remembered verdict, nothing read");
        assertEquals(Action.COPY, filterAction(later, 2), "a changed time: proved again, now copied");
        assertEquals(Action.COPY, filterAction(TableListing.of(table, CLASSIFIER,
                new ListingMemory(100).recall(table)), 1), "another driver's memory knows nothing: it reads");
    }

    @Test
    void anSSTableWrittenJustBeforeItWasProvedIsNotRemembered() throws Exception {
        // Written a moment ago: a change within the clock's resolution could keep its time, so the verdict is
        // not trusted for the next copy.
        Path table = table("2", 1, Instant.now());
        ListingMemory memory = new ListingMemory(100);
        TableListing copied = TableListing.of(table, CLASSIFIER, memory.recall(table));
        assertEquals(Action.LINK, filterAction(copied, 1));
        memory.remember(table, copied);
        assertEquals(0, memory.units());

        unlistFilterKeepingSizeAndTime(table, 1);
        assertEquals(Action.COPY, filterAction(TableListing.of(table, CLASSIFIER, memory.recall(table)), 1));
    }

    @Test
    void theLeastRecentlyCopiedTablesAreForgottenBeyondTheBound() throws Exception {
        Path first = settledTable("3", 2);
        Path second = settledTable("4", 2);
        Path third = settledTable("5", 2);
        ListingMemory memory = new ListingMemory(5);
        memory.remember(first, TableListing.of(first, CLASSIFIER));
        memory.remember(second, TableListing.of(second, CLASSIFIER));
        assertEquals(4, memory.units());
        memory.recall(first); // copied again: now the more recent of the two
        memory.remember(third, TableListing.of(third, CLASSIFIER));

        assertEquals(4, memory.units());
        assertEquals(2, known(memory, first));
        assertEquals(0, known(memory, second), "the least recently copied table is forgotten");
        assertEquals(2, known(memory, third));
        memory.remember(first, TableListing.of(first, CLASSIFIER));
        assertEquals(4, memory.units(), "a table remembered again replaces its earlier listing");
    }

    @Test
    void nothingIsRememberedWithoutRoom() throws Exception {
        Path table = settledTable("6", 1);
        ListingMemory.NONE.remember(table, TableListing.of(table, CLASSIFIER));
        assertEquals(0, ListingMemory.NONE.units());
        assertEquals(0, known(ListingMemory.NONE, table));
    }

    @Test
    void aMemoryKeptInAFileIsReadByTheNextProcess() throws Exception {
        Path table = settledTable("7", 2);
        Path file = dir.resolve("state/filter-verdicts.json");
        copyAndSave(savedIn(file), table);
        assertTrue(Files.isRegularFile(file), "an earlier process saved what it proved");

        unlistFilterKeepingSizeAndTime(table, 1);
        ListingMemory next = savedIn(file);
        assertEquals(2, next.units());
        assertEquals(Action.LINK, filterAction(TableListing.of(table, CLASSIFIER,
                next.recall(table)), 1), "the verdict the earlier process saved: nothing read");
        assertEquals(0, ListingMemory.savedIn(file, "5.0.7", 100).units(), "verdicts are for one release");
    }

    @Test
    void aDamagedFileIsAnEmptyMemoryAndIsReplacedByTheNextSave() throws Exception {
        Path table = settledTable("8", 1);
        Path file = Files.writeString(dir.resolve("filter-verdicts.json"), "{\"format\": 1, \"tables\": [tru");
        ListingMemory memory = savedIn(file);
        assertEquals(0, memory.units());
        copyAndSave(memory, table);
        assertEquals(1, savedIn(file).units());
    }

    @Test
    void theNextProcessWritesTheTocFromTheBytesSavedWithTheVerdict() throws Exception {
        Path table = settledTable("a", 1);
        Path toc = table.resolve("nb-1-big-TOC.txt");
        byte[] proved = Files.readAllBytes(toc);
        Path file = dir.resolve("filter-verdicts.json");
        copyAndSave(savedIn(file), table);

        unlistFilterKeepingSizeAndTime(table, 1);
        TableListing next = TableListing.of(table, CLASSIFIER, savedIn(file).recall(table));
        assertArrayEquals(proved, next.units().get("sstable:nb-1-big").tocToWrite().orElseThrow());

        String saved = Files.readString(file);
        Files.writeString(file, saved.replaceFirst("\"toc\":\"[^\"]+\"", "\"toc\":\"not base64!\""));
        assertEquals(0, savedIn(file).units(), "a TOC that does not decode: the whole file is an empty memory");
    }

    @Test
    void aCopyThatLearntNothingNewDoesNotWriteTheFileAgain() throws Exception {
        Path table = settledTable("9", 1);
        Path file = dir.resolve("filter-verdicts.json");
        ListingMemory memory = savedIn(file);
        copyAndSave(memory, table);
        Files.delete(file);
        copyAndSave(memory, table);
        assertTrue(Files.notExists(file), "the same verdicts again: nothing written");
    }

    /** A table whose SSTables were written an hour ago: settled, so their verdicts are remembered. */
    private Path settledTable(String id, int count) throws Exception {
        return table(id, count, Instant.now().minus(Duration.ofHours(1)));
    }

    private static ListingMemory savedIn(Path file) {
        return ListingMemory.savedIn(file, "5.0.6", 100);
    }

    /** What a copy does with the memory: lists the table with what it knows, remembers the listing, saves. */
    private static void copyAndSave(ListingMemory memory, Path table) throws Exception {
        memory.remember(table, TableListing.of(table, CLASSIFIER, memory.recall(table)));
        memory.save();
    }

    /** How many SSTables of the table, as it is now, the memory has a verdict for. */
    private static long known(ListingMemory memory, Path table) throws Exception {
        KnownVerdicts known = memory.recall(table);
        return TableListing.of(table, CLASSIFIER).units().values().stream()
                .filter(u -> known.verdict(u.key(), KnownVerdicts.filesState(u.entries())).isPresent()).count();
    }

    /** A table directory of {@code count} SSTables with well-formed metadata, every file last changed at {@code at}. */
    private Path table(String id, int count, Instant at) throws Exception {
        Path table = Files.createDirectories(dir.resolve("orders-" + id.repeat(32)));
        for (int generation = 1; generation <= count; generation++) {
            String prefix = "nb-" + generation + "-big-";
            Files.writeString(table.resolve(prefix + "Data.db"), "rows");
            SSTableMetadataFiles.filter(table.resolve(prefix + "Filter.db"), 1024, new Random(generation));
            SSTableMetadataFiles.statistics(table.resolve(prefix + "Statistics.db"),
                    "org.apache.cassandra.dht.Murmur3Partitioner", 0.01, 100);
            SSTableMetadataFiles.toc(table.resolve(prefix + "TOC.txt"), TOC);
        }
        try (Stream<Path> files = Files.list(table)) {
            for (Path file : files.toList()) {
                Files.setLastModifiedTime(file, FileTime.from(at));
            }
        }
        return table;
    }

    /** Rewrites the TOC in place without {@code Filter.db} (a proof now says "copy"), same size, same time. */
    private static void unlistFilterKeepingSizeAndTime(Path table, int generation) throws Exception {
        Path toc = table.resolve("nb-" + generation + "-big-TOC.txt");
        FileTime time = Files.getLastModifiedTime(toc);
        Files.writeString(toc, Files.readString(toc).replace("Filter.db", "Xilter.db"));
        Files.setLastModifiedTime(toc, time);
    }
}
