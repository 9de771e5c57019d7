package io.snapci.scheduler.local.storage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What of a commit log segment the copy holds: what Cassandra 5.0.6's replay reads (the header and the chain of sync
 * sections up to the first zero marker), and the whole file whenever replay's reading cannot be told.
 */
class CommitLogPrefixTest {

    private static final long MIB = 1024 * 1024;
    private static final long ID = 1_733_000_000_123L;

    @TempDir
    Path dir;

    private Path segment(int version, long id) {
        return dir.resolve(CommitLogSegmentFiles.name(version, id));
    }

    @Test
    void aSegmentIsReadUpToItsLastSyncedSectionNotItsPreallocatedOrUnsyncedTail() throws Exception {
        Path file = segment(8, ID);
        long end = CommitLogSegmentFiles.write(file, 8, ID, 32 * MIB, List.of(1000, 70_000, 5), 4096, new Random(1));

        assertEquals(CommitLogSegmentFiles.headerLength() + 3 * 8 + 71_005, end);
        assertEquals(end, CommitLogPrefix.replayedLength(file));
        assertEquals(32 * MIB, Files.size(file));
    }

    @Test
    void aDrainedNodesSegmentIsItsHeader() throws Exception {
        Path file = segment(8, ID);
        CommitLogSegmentFiles.write(file, 8, ID, 32 * MIB, List.of(), 0, new Random(2));

        assertEquals(CommitLogSegmentFiles.headerLength(), CommitLogPrefix.replayedLength(file));
    }

    @Test
    void eachVersionWhoseFormatWasReadIsCut() throws Exception {
        for (int version : List.of(6, 7, 8)) {
            Path file = segment(version, ID + version);
            long end = CommitLogSegmentFiles.write(file, version, ID + version, MIB, List.of(100), 0, new Random(3));
            assertEquals(end, CommitLogPrefix.replayedLength(file), "version " + version);
        }
    }

    @Test
    void aSegmentFilledToItsEndIsCopiedWhole() throws Exception {
        Path file = segment(7, ID);
        int fill = (int) MIB - CommitLogSegmentFiles.headerLength() - 8;
        long end = CommitLogSegmentFiles.write(file, 7, ID, MIB, List.of(fill), 0, new Random(4));
        assertEquals(MIB, end);
        assertEquals(MIB, CommitLogPrefix.replayedLength(file));

        // Less than a marker's room after the last section: replay reads to the end, so does the copy.
        Path nearlyFull = segment(7, ID + 1);
        CommitLogSegmentFiles.write(nearlyFull, 7, ID + 1, MIB, List.of(fill - 3), 0, new Random(5));
        assertEquals(MIB, CommitLogPrefix.replayedLength(nearlyFull));
    }

    @Test
    void aTornMarkerAfterTheSyncedSectionsKeepsTheWholeFile() throws Exception {
        Path file = segment(8, ID);
        long end = CommitLogSegmentFiles.write(file, 8, ID, MIB, List.of(500), 0, new Random(6));
        // The next marker's offset written, its CRC not yet: replay may read on (allow_ignore_sync_crc) or stop.
        CommitLogSegmentFiles.marker(file, ID, end, (int) end + 600, false);

        assertEquals(MIB, CommitLogPrefix.replayedLength(file));
    }

    @Test
    void aValidMarkerPointingBackwardsOrPastTheEndKeepsTheWholeFile() throws Exception {
        Path backwards = segment(8, ID);
        long end = CommitLogSegmentFiles.write(backwards, 8, ID, MIB, List.of(500), 0, new Random(7));
        CommitLogSegmentFiles.marker(backwards, ID, end, (int) end - 100, true);
        assertEquals(MIB, CommitLogPrefix.replayedLength(backwards));

        Path pastTheEnd = segment(8, ID + 1);
        long end2 = CommitLogSegmentFiles.write(pastTheEnd, 8, ID + 1, MIB, List.of(500), 0, new Random(8));
        CommitLogSegmentFiles.marker(pastTheEnd, ID + 1, end2, (int) (2 * MIB), true);
        assertEquals(MIB, CommitLogPrefix.replayedLength(pastTheEnd));
    }

    @Test
    void aMarkerWithAnotherSegmentsCrcEndsTheChainOnlyIfItIsZero() throws Exception {
        // A marker written for another id has a CRC that does not match: not zero, so not a clean end.
        Path file = segment(8, ID);
        long end = CommitLogSegmentFiles.write(file, 8, ID, MIB, List.of(500), 0, new Random(9));
        CommitLogSegmentFiles.marker(file, ID + 1, end, (int) end + 100, true);

        assertEquals(MIB, CommitLogPrefix.replayedLength(file));
    }

    @Test
    void aHeaderThatCannotBeReadKeepsTheWholeFile() throws Exception {
        Path badCrc = segment(8, ID);
        CommitLogSegmentFiles.write(badCrc, 8, ID, MIB, List.of(500), 0, new Random(10));
        CommitLogSegmentFiles.overwrite(badCrc, CommitLogSegmentFiles.headerLength() - 1, new byte[] {0x55});
        assertEquals(MIB, CommitLogPrefix.replayedLength(badCrc));

        Path otherId = dir.resolve(CommitLogSegmentFiles.name(8, ID + 5));
        Path written = segment(8, ID + 6);
        CommitLogSegmentFiles.write(written, 8, ID + 6, MIB, List.of(500), 0, new Random(11));
        Files.move(written, otherId);
        assertEquals(MIB, CommitLogPrefix.replayedLength(otherId), "the header's id is not the name's");

        Path tiny = segment(8, ID + 7);
        Files.write(tiny, new byte[] {0, 0, 0, 8, 1});
        assertEquals(5, CommitLogPrefix.replayedLength(tiny));

        Path random = segment(7, ID + 8);
        CassandraFixtures.write(random, 3000);
        assertEquals(3000, CommitLogPrefix.replayedLength(random));
    }

    @Test
    void aVersionOrNameThisCodeWasNotReadForKeepsTheWholeFile() throws Exception {
        Path future = segment(9, ID);
        CommitLogSegmentFiles.write(future, 9, ID, MIB, List.of(500), 0, new Random(12));
        assertEquals(MIB, CommitLogPrefix.replayedLength(future));

        Path unversioned = dir.resolve("CommitLog-" + ID + ".log");
        CommitLogSegmentFiles.write(unversioned, 8, ID, MIB, List.of(500), 0, new Random(13));
        assertEquals(MIB, CommitLogPrefix.replayedLength(unversioned));

        Path cdcIndex = dir.resolve("CommitLog-8-" + ID + "_cdc.idx");
        CommitLogSegmentFiles.write(cdcIndex, 8, ID, MIB, List.of(500), 0, new Random(14));
        assertEquals(MIB, CommitLogPrefix.replayedLength(cdcIndex));
    }

    @Test
    void readingTheChainLeavesTheSegmentUnchanged() throws Exception {
        Path file = segment(8, ID);
        CommitLogSegmentFiles.write(file, 8, ID, 4 * MIB, List.of(100, 200), 300, new Random(15));
        DirectoryFingerprint before = DirectoryFingerprint.of(dir);

        CommitLogPrefix.replayedLength(file);

        assertTrue(DirectoryFingerprint.of(dir).differencesFrom(before).isEmpty());
    }
}
