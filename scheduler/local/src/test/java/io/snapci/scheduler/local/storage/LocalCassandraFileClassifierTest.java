package io.snapci.scheduler.local.storage;

import io.snapci.scheduler.local.storage.CassandraFileClassifier.Action;
import io.snapci.scheduler.local.storage.CassandraFileClassifier.Area;
import io.snapci.scheduler.local.storage.CassandraFileClassifier.SSTableComponent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LocalCassandraFileClassifierTest {

    private final CassandraFileClassifier classifier = new CassandraFileClassifier();

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            // immutable components: shared with the source
            "nb-1-big-Data.db, LINK",
            "nb-12-big-Index.db, LINK",
            "da-3-bti-Partitions.db, LINK",
            "da-3-bti-Rows.db, LINK",
            "nb-1-big-CompressionInfo.db, LINK",
            "nb-1-big-Digest.crc32, LINK",
            "nb-1-big-CRC.db, LINK",
            "nb-3gdn_0cxf_1jdua2rz0vcmu7c6hl-big-Data.db, LINK",
            "oa-3gdn_0cxf_1jdua2rz0vcmu7c6hl-bti-Rows.db, LINK",
            // Cassandra replaces these by a new file (rename, delete first), never writes into them: shared
            "nb-1-big-Statistics.db, LINK",
            "nb-1-big-Summary.db, LINK",
            "nb-3gdn_0cxf_1jdua2rz0vcmu7c6hl-big-Statistics.db, LINK",
            // Cassandra rewrites these in place (an index built over the SSTable, a rebuilt filter): copied
            "nb-1-big-TOC.txt, COPY",
            "nb-1-big-Filter.db, COPY",
            "oa-3gdn_0cxf_1jdua2rz0vcmu7c6hl-bti-TOC.txt, COPY",
            // unknown components (SAI) are copied: safe by default
            "da-3-bti-SAI+aa+users+email_idx+TermsData.db, COPY",
            // transaction logs mark an operation in progress: Cassandra needs them on startup
            "nb_txn_compaction_7e3f1c20-8a4b-11ee-b9d1-0242ac120002.log, COPY",
            "nb_txn_flush_7e3f1c20-8a4b-11ee-b9d1-0242ac120002.log, COPY",
            // half-written
            "nb-5-big-tmplink-Data.db, SKIP",
            "nb-5-big-tmp-Data.db, SKIP",
            "shop-users-tmp-ka-1-Data.db, SKIP",
            "shop-users-tmplink-ka-1-Index.db, SKIP",
            "something.tmp, SKIP",
            // a UUID generation that happens to contain 'tmp' is not temporary
            "nb-3gdn_0tmp_1jdua2rz0vcmu7c6hl-big-Data.db, LINK",
            // anything else is copied
            "manifest.json, COPY",
            "schema.cql, COPY",
    })
    void classifiesTableFiles(String name, Action expected) {
        assertEquals(expected, classifier.classify(Area.TABLE, name));
    }

    @ParameterizedTest
    @ValueSource(strings = {"CommitLog-7-1700000000001.log", "CommitLog-7-1700000000001_cdc.idx", "nb-1-big-Data.db"})
    void commitLogIsAlwaysCopiedAndHintsNever(String name) {
        assertEquals(Action.COPY, classifier.classify(Area.COMMITLOG, name));
        assertEquals(Action.SKIP, classifier.classify(Area.HINTS, name));
    }

    @Test
    void savedCachesAreSkipped() {
        assertEquals(Action.SKIP, classifier.classify(Area.SAVED_CACHES, "KeyCache-g.db"));
        assertEquals(Action.SKIP, classifier.classify(Area.SAVED_CACHES, "RowCache-g.db"));
    }

    @Test
    void otherFilesAreCopied() {
        assertEquals(Action.COPY, classifier.classify(Area.OTHER, "nb-1-big-Data.db"));
    }

    @Test
    void parsesComponentNames() {
        assertEquals(new SSTableComponent("nb", "12", "big", "Index", "db"),
                CassandraFileClassifier.parse("nb-12-big-Index.db").orElseThrow());
        SSTableComponent uuid = CassandraFileClassifier.parse("nb-3gdn_0cxf_1jdua2rz0vcmu7c6hl-big-Data.db")
                .orElseThrow();
        assertEquals("3gdn_0cxf_1jdua2rz0vcmu7c6hl", uuid.generation());
        assertEquals("nb-3gdn_0cxf_1jdua2rz0vcmu7c6hl-big", uuid.descriptor());
        assertEquals("Digest", CassandraFileClassifier.parse("nb-1-big-Digest.crc32").orElseThrow().component());
        assertEquals("da-3-bti", CassandraFileClassifier.parse("da-3-bti-Rows.db").orElseThrow().descriptor());
        assertTrue(CassandraFileClassifier.parse("CommitLog-7-1700000000001.log").isEmpty());
        assertTrue(CassandraFileClassifier.parse("nb_txn_compaction_7e3f1c20.log").isEmpty());
        assertTrue(CassandraFileClassifier.parse("manifest.json").isEmpty());
    }

    @Test
    void recognisesTableDirectoriesAndSkippedSubdirectories() {
        assertTrue(CassandraFileClassifier.isTableDirectoryName("users-0a1b2c3d4e5f60718293a4b5c6d7e8f9"));
        assertTrue(CassandraFileClassifier.isTableDirectoryName("local-7ad54392bcdd35a684174e047860b377"));
        assertFalse(CassandraFileClassifier.isTableDirectoryName("users"));
        assertFalse(CassandraFileClassifier.isTableDirectoryName("users-0A1B2C3D4E5F60718293A4B5C6D7E8F9"));
        assertFalse(CassandraFileClassifier.isTableDirectoryName("users-0a1b2c"));
        assertTrue(classifier.skipsTableSubdirectory("snapshots"));
        assertTrue(classifier.skipsTableSubdirectory("backups"));
        assertFalse(classifier.skipsTableSubdirectory(".users_email_idx"));
    }
}
