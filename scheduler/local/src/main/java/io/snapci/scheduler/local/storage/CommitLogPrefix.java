package io.snapci.scheduler.local.storage;

import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;

import static io.snapci.scheduler.local.storage.CassandraFileReads.read;
import static io.snapci.scheduler.local.storage.CassandraFileReads.updateChecksumInt;

/**
 * How much of a commit log segment the copy's node can replay: the bytes the copy must hold so that replay reads
 * exactly what it would read from the whole file. Everything after it is never read, so it is not copied.
 *
 * <p>A memory-mapped segment is created at its full size ({@code commitlog_segment_size}, 32 MiB by default:
 * {@code MemoryMappedSegment} maps the whole segment, which extends the file) and filled from the front. Replay
 * (Cassandra 5.0.6, {@code CommitLogSegmentReader.SegmentIterator} and {@code readSyncMarker}) reads the header, then
 * follows the chain of sync markers, each an {@code int} offset of the next marker and a CRC32 of the segment id and
 * the marker's own offset, and stops cleanly at a marker that is all zeros or at a file too short to hold one (its
 * lines 168-172 and 197-203). After the last sync that point is the slot of the next marker, never written: what lies
 * beyond is preallocated space or mutations written after the last sync, which replay does not read either. A node
 * drained before it stopped leaves one segment with nothing but its header and the drain's few writes; a running
 * node's leaves what it wrote since its last flush. Either way only that prefix is copied.
 *
 * <p>Whenever replay's reading of the file cannot be predicted from this code, the whole file is copied, as before:
 * a name that is not a versioned segment's, a version whose format was not read here, a header whose CRC does not
 * match or whose id is not the name's, a marker with a valid CRC that points backwards or past the end (replay fails
 * there), and a marker with a bad CRC that is not all zeros (a torn write: with
 * {@code cassandra.commitlog.allow_ignore_sync_crc} replay may read on, so what it reads depends on the copy's
 * settings). The segment's format is the same uncompressed, compressed and encrypted ({@code writeSyncMarker} writes
 * the markers in the clear in all three), and the same for {@code VERSION_30}, {@code _40} and {@code _50}
 * ({@code CommitLogDescriptor} lines 63-65, {@code writeHeader}/{@code readHeader}).
 */
final class CommitLogPrefix {

    /** Segment versions whose header and marker format is read above: Cassandra 3.0, 4.x and 5.0. */
    static final Set<Integer> READ_VERSIONS = Set.of(6, 7, 8);
    /** {@code CommitLogDescriptor.COMMIT_LOG_FILE_PATTERN}, with the version and the id as groups. */
    private static final Pattern SEGMENT_NAME = Pattern.compile("CommitLog-(\\d+)-(\\d+)\\.log");
    /** {@code CommitLogSegment.SYNC_MARKER_SIZE}: the next marker's offset and a CRC, both ints. */
    private static final int SYNC_MARKER_SIZE = 8;
    /** The header's fixed part: version (int), id (long), the parameters' length (short). */
    private static final int HEADER_FIXED = 4 + 8 + 2;

    private CommitLogPrefix() {
    }

    /**
     * The number of bytes from the start of {@code segment} that replay reads; its size when that cannot be told.
     * Only reads the file.
     */
    static long replayedLength(Path segment) throws IOException {
        try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.READ)) {
            long size = channel.size();
            Matcher name = SEGMENT_NAME.matcher(segment.getFileName().toString());
            if (!name.matches() || !READ_VERSIONS.contains(parseOrMinusOne(name.group(1)))) {
                return size;
            }
            long idFromName;
            try {
                idFromName = Long.parseLong(name.group(2));
            } catch (NumberFormatException e) {
                return size;
            }
            try {
                long firstMarker = headerEnd(channel, size, idFromName);
                return firstMarker < 0 ? size : endOfMarkerChain(channel, size, idFromName, firstMarker);
            } catch (BufferUnderflowException e) {
                return size; // shorter than its size said a moment ago: not a segment this code can read
            }
        }
    }

    /** Where the header ends (the first sync marker), or -1 if it is not one this code can read. */
    private static long headerEnd(FileChannel channel, long size, long id) throws IOException {
        if (size < HEADER_FIXED) {
            return -1;
        }
        ByteBuffer fixed = read(channel, 0, HEADER_FIXED);
        int version = fixed.getInt();
        long headerId = fixed.getLong();
        int parametersLength = fixed.getShort() & 0xFFFF;
        long end = HEADER_FIXED + parametersLength + 4L;
        if (!READ_VERSIONS.contains(version) || headerId != id || end > size) {
            return -1;
        }
        ByteBuffer rest = read(channel, HEADER_FIXED, parametersLength + 4);
        byte[] parameters = new byte[parametersLength];
        rest.get(parameters);
        CRC32 crc = new CRC32();
        updateChecksumInt(crc, version);
        updateChecksumInt(crc, (int) (id & 0xFFFFFFFFL));
        updateChecksumInt(crc, (int) (id >>> 32));
        updateChecksumInt(crc, parametersLength);
        crc.update(parameters);
        return rest.getInt() == (int) crc.getValue() ? end : -1;
    }

    /** Follows the sync markers from {@code position}: where replay stops, or {@code size} if that is unsure. */
    private static long endOfMarkerChain(FileChannel channel, long size, long id, long position) throws IOException {
        while (position <= size - SYNC_MARKER_SIZE) {
            ByteBuffer marker = read(channel, position, SYNC_MARKER_SIZE);
            int next = marker.getInt();
            int storedCrc = marker.getInt();
            if (storedCrc == markerCrc(id, (int) position)) {
                if (next <= position || next > size) {
                    return size; // replay fails on this marker ("bad position but valid CRC"): keep the file as it is
                }
                position = next;
            } else if (next == 0 && storedCrc == 0) {
                return position; // never written: replay ends here
            } else {
                return size; // torn: what replay does depends on the copy's settings
            }
        }
        return size; // no room left for a marker: replay reads to the end of the file
    }

    /** {@code CommitLogSegment.writeSyncMarker}'s CRC: the id's low and high halves, then the marker's offset. */
    private static int markerCrc(long id, int offset) {
        CRC32 crc = new CRC32();
        updateChecksumInt(crc, (int) (id & 0xFFFFFFFFL));
        updateChecksumInt(crc, (int) (id >>> 32));
        updateChecksumInt(crc, offset);
        return (int) crc.getValue();
    }



    private static int parseOrMinusOne(String digits) {
        try {
            return Integer.parseInt(digits);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
