package io.snapci.scheduler.local.storage;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * When a bloom filter may be linked into a copy: every case in which Cassandra 5.0.6 would rebuild it on load (and so
 * write it in place) must copy. The files are written in Cassandra's layout (SSTableMetadataFiles); that the real
 * files of a real node are read the same way is checked in the tests module (SourceIsNeverWrittenTest).
 */
class FilterSharingTest {

    private static final String PARTITIONER = "org.apache.cassandra.dht.Murmur3Partitioner";
    private static final FilterSharing SHARING = FilterSharing.forRelease("5.0.6");

    @TempDir
    Path dir;
    Path filter;
    Path statistics;
    Path toc;

    @BeforeEach
    void aWellFormedSSTable() throws IOException {
        filter = dir.resolve("nb-1-big-Filter.db");
        statistics = dir.resolve("nb-1-big-Statistics.db");
        toc = dir.resolve("nb-1-big-TOC.txt");
        SSTableMetadataFiles.filter(filter, 4096, new Random(1));
        SSTableMetadataFiles.statistics(statistics, PARTITIONER, 0.01, 300);
        SSTableMetadataFiles.toc(toc, List.of("Data.db", "Index.db", "Filter.db", "Statistics.db", "TOC.txt"));
    }

    private boolean mayLink(String descriptor) {
        return SHARING.mayLink(CassandraFileClassifier.parse(descriptor + "-Filter.db").orElseThrow(), filter,
                statistics, toc);
    }

    @Test
    void aFilterCassandraWillLoadAsItIsMayBeLinked() {
        assertTrue(mayLink("nb-1-big"));
        assertTrue(mayLink("oa-1-big"));
        assertTrue(mayLink("da-1-bti"));
    }

    @Test
    void onlyForTheCassandraReleasesWhoseLoadingCodeWasRead() {
        assertTrue(FilterSharing.forRelease("5.0.6").enabled());
        // 4.x rebuilds (and rewrites) a filter whose fp chance changed; an unread release may do anything
        assertFalse(FilterSharing.forRelease("4.1.7").mayLink(CassandraFileClassifier.parse("nb-1-big-Filter.db")
                .orElseThrow(), filter, statistics, toc));
        assertFalse(FilterSharing.forRelease("5.0.7").enabled());
        assertFalse(FilterSharing.forRelease(null).enabled());
        assertFalse(FilterSharing.NEVER.mayLink(CassandraFileClassifier.parse("nb-1-big-Filter.db").orElseThrow(),
                filter, statistics, toc));
    }

    @Test
    void versionsWithoutMetadataChecksumsOrWithTheOldFilterFormatCopy() {
        assertFalse(mayLink("ma-1-big"), "before na: no checksums, old filter format");
        assertFalse(mayLink("mc-1-big"));
    }

    @Test
    void aTocThatDoesNotListTheFilterCopies() throws IOException {
        // the SSTable's components come from its TOC: without Filter.db there, Cassandra builds and saves one
        SSTableMetadataFiles.toc(toc, List.of("Data.db", "Index.db", "Statistics.db", "TOC.txt"));
        assertFalse(mayLink("nb-1-big"));
        SSTableMetadataFiles.toc(toc, List.of("Data.db", "Index.db", "XFilter.db", "Statistics.db"));
        assertFalse(mayLink("nb-1-big"));
    }

    @Test
    void statisticsWithoutAnFpChanceCopy() throws IOException {
        SSTableMetadataFiles.statistics(statistics, PARTITIONER, Double.NaN, 300);
        assertFalse(mayLink("nb-1-big"), "NaN fp chance: Cassandra rebuilds");
        SSTableMetadataFiles.statisticsWithoutValidation(statistics, 300);
        assertFalse(mayLink("nb-1-big"), "no validation metadata: Cassandra rebuilds");
        Files.delete(statistics);
        assertFalse(mayLink("nb-1-big"), "no Statistics.db");
    }

    @Test
    void statisticsWhoseChecksumsDoNotMatchCopy() throws IOException {
        byte[] good = Files.readAllBytes(statistics);
        for (int at : new int[] {2, 9, 30}) { // the count, the component table, the partitioner's name
            byte[] bad = good.clone();
            bad[at] ^= 0x10;
            Files.write(statistics, bad);
            assertFalse(mayLink("nb-1-big"), "byte " + at + " changed");
        }
        Files.write(statistics, java.util.Arrays.copyOf(good, 40));
        assertFalse(mayLink("nb-1-big"), "cut short inside the validation metadata");
        Files.write(statistics, java.util.Arrays.copyOf(good, 20));
        assertFalse(mayLink("nb-1-big"), "cut short inside the component table");
        Files.write(statistics, good);
        assertTrue(mayLink("nb-1-big"), "the untouched file still passes");
    }

    @Test
    void aFilterCassandraCannotReadCopies() throws IOException {
        byte[] good = Files.readAllBytes(filter);
        Files.write(filter, java.util.Arrays.copyOf(good, 5));
        assertFalse(mayLink("nb-1-big"), "5 bytes: the header cannot be read, Cassandra rebuilds");
        Files.write(filter, java.util.Arrays.copyOf(good, good.length - 8));
        assertFalse(mayLink("nb-1-big"), "shorter than its header says");
        Files.write(filter, new byte[0]);
        assertTrue(mayLink("nb-1-big"), "empty: Cassandra reads it as always-present, never rebuilds");
        byte[] noHashes = good.clone();
        noHashes[0] = noHashes[1] = noHashes[2] = noHashes[3] = 0;
        Files.write(filter, noHashes);
        assertFalse(mayLink("nb-1-big"), "no hash functions: not a filter Cassandra wrote");
        Files.delete(filter);
        assertFalse(mayLink("nb-1-big"), "missing");
    }
}
