package io.snapci.scheduler.local.storage;

import io.snapci.scheduler.local.storage.CassandraFileClassifier.Action;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The proofs of a whole table at once: the same verdicts, in the same order, as one by one; and a table listed again
 * keeps the verdict of every SSTable whose files are as they were.
 */
class FilterProofsTest {

    private static final String PARTITIONER = "org.apache.cassandra.dht.Murmur3Partitioner";
    private static final FilterSharing SHARING = FilterSharing.forRelease("5.0.6");
    private static final List<String> TOC = List.of("Data.db", "Filter.db", "Statistics.db", "TOC.txt");

    @TempDir
    Path dir;

    /** An SSTable of {@code table}; every third one's TOC leaves the filter out, so Cassandra would rebuild it. */
    private FilterProofs.Candidate sstable(Path table, int generation) throws Exception {
        String prefix = "nb-" + generation + "-big-";
        Path filter = table.resolve(prefix + "Filter.db");
        Path statistics = table.resolve(prefix + "Statistics.db");
        Path toc = table.resolve(prefix + "TOC.txt");
        Files.writeString(table.resolve(prefix + "Data.db"), "rows");
        SSTableMetadataFiles.filter(filter, 1024, new Random(generation));
        SSTableMetadataFiles.statistics(statistics, PARTITIONER, 0.01, 100);
        SSTableMetadataFiles.toc(toc, generation % 3 == 0 ? List.of("Data.db", "Statistics.db", "TOC.txt") : TOC);
        return new FilterProofs.Candidate(CassandraFileClassifier.parse(filter.getFileName().toString())
                .orElseThrow(), filter, statistics, toc);
    }

    /** {@code count} SSTables, generations 1 to {@code count}, in a table directory named after {@code id}. */
    private List<FilterProofs.Candidate> sstables(String id, int count) throws Exception {
        Path table = Files.createDirectories(dir.resolve("orders-" + id.repeat(32)));
        List<FilterProofs.Candidate> candidates = new ArrayList<>();
        for (int generation = 1; generation <= count; generation++) {
            candidates.add(sstable(table, generation));
        }
        return candidates;
    }

    @Test
    void manyProofsAtOnceGiveTheVerdictsOfEachAloneInOrder() throws Exception {
        List<FilterProofs.Candidate> candidates = sstables("0", 50);
        assertTrue(candidates.size() >= FilterProofs.CONCURRENT_FROM, "run concurrently");

        List<FilterSharing.Proof> proofs = FilterProofs.decide(SHARING, candidates);
        List<Boolean> together = proofs.stream().map(FilterSharing.Proof::linked).toList();

        List<Boolean> alone = candidates.stream()
                .map(c -> SHARING.mayLink(c.sstable(), c.filter(), c.statistics(), c.toc())).toList();
        assertEquals(alone, together);
        assertEquals(16, together.stream().filter(v -> !v).count(), "generations 3, 6, ..., 48 copy");
        assertEquals(List.of(), FilterProofs.decide(SHARING, List.of()));
        for (int i = 0; i < candidates.size(); i++) {
            assertArrayEquals(Files.readAllBytes(candidates.get(i).toc()), proofs.get(i).toc(),
                    "each proof keeps the TOC it read, whatever its verdict");
        }
    }

    @Test
    void anInterruptedCopyLinksNothingMore() throws Exception {
        List<FilterProofs.Candidate> candidates = sstables("1", 10);
        Thread.currentThread().interrupt();
        try {
            assertEquals(java.util.Collections.nCopies(10, FilterSharing.Proof.COPY_UNREAD),
                    FilterProofs.decide(SHARING, candidates));
        } finally {
            assertTrue(Thread.interrupted(), "the interrupt is kept for the caller");
        }
    }

    @Test
    void aListingAgainKeepsTheVerdictOfUnchangedFilesAndProvesChangedOnesAnew() throws Exception {
        Path table = Files.createDirectories(dir.resolve("orders-" + "2".repeat(32)));
        FilterProofs.Candidate first = sstable(table, 1);
        FilterProofs.Candidate second = sstable(table, 2);
        CassandraFileClassifier classifier = new CassandraFileClassifier(SHARING);
        TableListing before = TableListing.of(table, classifier);
        assertEquals(Action.LINK, filterAction(before, 1));
        assertEquals(Action.LINK, filterAction(before, 2));

        // Generation 1's TOC loses Filter.db but keeps its size and time: the same file to a listing, so the
        // verdict stands (only a new inode, size or time says "the bytes changed").
        FileTime time = Files.getLastModifiedTime(first.toc());
        String toc = Files.readString(first.toc());
        Files.writeString(first.toc(), toc.replace("Filter.db", "Xilter.db"));
        Files.setLastModifiedTime(first.toc(), time);
        // Generation 2's TOC loses it too, and the time changes as any write changes it: proved anew.
        SSTableMetadataFiles.toc(second.toc(), List.of("Data.db", "Statistics.db", "TOC.txt"));
        Files.setLastModifiedTime(second.toc(), FileTime.fromMillis(time.toMillis() + 5000));

        TableListing again = TableListing.of(table, classifier, before);

        assertEquals(Action.LINK, filterAction(again, 1));
        assertEquals(Action.COPY, filterAction(again, 2));
        assertEquals(Action.COPY, filterAction(TableListing.of(table, classifier), 1), "a first listing reads it");
    }

    /** The action the listing gives generation {@code generation}'s {@code Filter.db}. */
    static Action filterAction(TableListing listing, int generation) {
        return listing.units().values().stream().flatMap(u -> u.entries().stream())
                .filter(e -> e.source().getFileName().toString().equals("nb-" + generation + "-big-Filter.db"))
                .findFirst().orElseThrow().action();
    }
}
