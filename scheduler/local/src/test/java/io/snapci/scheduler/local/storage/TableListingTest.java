package io.snapci.scheduler.local.storage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * When a table's copy is still right after the source was listed again ({@link TableListing#copiesAlike}): a linked
 * file may change in place (the copy shares its inode), a copied file may not, and a file replaced by a rename is a
 * new file either way.
 */
class TableListingTest {

    private static final CassandraFileClassifier CLASSIFIER = new CassandraFileClassifier();
    private static final List<String> COMPONENTS = List.of("Data.db", "Statistics.db", "TOC.txt");

    @TempDir
    Path dir;

    @Test
    void anUnchangedTableIsAlike() throws Exception {
        Path table = table();
        assertTrue(TableListing.of(table, CLASSIFIER).copiesAlike(TableListing.of(table, CLASSIFIER)));
    }

    @Test
    void aLinkedFileWrittenInPlaceIsStillAlikeSinceTheCopySharesIt() throws Exception {
        Path table = table();
        TableListing before = TableListing.of(table, CLASSIFIER);
        Files.write(table.resolve("nb-1-big-Data.db"), new byte[]{1, 2, 3}, StandardOpenOption.APPEND);
        assertTrue(TableListing.of(table, CLASSIFIER).copiesAlike(before));
    }

    @Test
    void aCopiedFileRewrittenInPlaceIsNotAlike() throws Exception {
        Path table = table();
        TableListing before = TableListing.of(table, CLASSIFIER);
        Path toc = table.resolve("nb-1-big-TOC.txt");
        FileTime time = Files.getLastModifiedTime(toc);
        Files.writeString(toc, "Data.db\nStatistics.db\nTOC.txt\nSAI+aa+idx+Meta.db\n");
        Files.setLastModifiedTime(toc, time);
        assertFalse(TableListing.of(table, CLASSIFIER).copiesAlike(before), "a new size");

        TableListing grown = TableListing.of(table, CLASSIFIER);
        Files.setLastModifiedTime(toc, FileTime.fromMillis(time.toMillis() + 1_000));
        assertFalse(TableListing.of(table, CLASSIFIER).copiesAlike(grown), "a new modification time");
    }

    @Test
    void aLinkedFileReplacedByARenameIsNotAlike() throws Exception {
        Path table = table();
        TableListing before = TableListing.of(table, CLASSIFIER);
        Path statistics = table.resolve("nb-1-big-Statistics.db");
        Path rewritten = CassandraFixtures.write(table.resolve("nb-1-big-Statistics.db.tmp"), 100);
        Files.move(rewritten, statistics, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        assertFalse(TableListing.of(table, CLASSIFIER).copiesAlike(before));
    }

    @Test
    void anSSTableAddedOrGoneIsNotAlike() throws Exception {
        Path table = table();
        TableListing one = TableListing.of(table, CLASSIFIER);
        CassandraFixtures.sstable(table, "nb-2-big", COMPONENTS);
        TableListing two = TableListing.of(table, CLASSIFIER);
        assertFalse(two.copiesAlike(one));
        assertFalse(one.copiesAlike(two));
    }

    private Path table() throws Exception {
        Path table = Files.createDirectories(dir.resolve("shop/users-0a1b2c3d4e5f60718293a4b5c6d7e8f9"));
        CassandraFixtures.sstable(table, "nb-1-big", COMPONENTS);
        return table;
    }
}
