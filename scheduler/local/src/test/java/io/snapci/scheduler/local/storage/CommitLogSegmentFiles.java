package io.snapci.scheduler.local.storage;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32;

/**
 * Writes commit log segments in Cassandra 5.0.6's layout without booting a node, for tests and benchmarks: the file
 * created at its full segment size and left sparse (as mapping the whole segment leaves it), the header as
 * {@code CommitLogDescriptor.writeHeader} writes it (version, id, parameters' length and JSON, CRC32), then sync
 * sections, each a marker as {@code CommitLogSegment.writeSyncMarker} writes it (the next marker's offset, CRC32 of
 * the id's halves and the marker's offset) followed by its mutations (random bytes here: replay's reading of the
 * chain does not depend on them).
 */
public final class CommitLogSegmentFiles {

    private static final byte[] PARAMETERS = "{}".getBytes(StandardCharsets.UTF_8);

    private CommitLogSegmentFiles() {
    }

    /** {@code CommitLog-<version>-<id>.log}, the segment's name. */
    public static String name(int version, long id) {
        return "CommitLog-" + version + "-" + id + ".log";
    }

    /** Where the header ends and the first marker sits. */
    public static int headerLength() {
        return 4 + 8 + 2 + PARAMETERS.length + 4;
    }

    /**
     * A segment of {@code fileSize} bytes whose synced sections hold {@code sectionBytes} bytes of mutations each,
     * followed by {@code unsyncedBytes} written after the last sync (its marker slot still zero). Returns where the
     * last synced section ends: what replay reads.
     */
    public static long write(Path file, int version, long id, long fileSize, List<Integer> sectionBytes,
                             int unsyncedBytes, Random random) throws IOException {
        try (RandomAccessFile out = new RandomAccessFile(file.toFile(), "rw")) {
            out.setLength(fileSize);
            out.write(header(version, id));
            long position = headerLength();
            for (int bytes : sectionBytes) {
                long next = position + 8 + bytes;
                out.seek(position);
                out.writeInt((int) next);
                out.writeInt(markerCrc(id, (int) position));
                out.write(randomBytes(bytes, random));
                position = next;
            }
            if (unsyncedBytes > 0) {
                out.seek(position + 8);
                out.write(randomBytes(unsyncedBytes, random));
            }
            return position;
        }
    }

    /** Writes a marker at {@code position} pointing at {@code next}, with a CRC that is right or, if not, zero. */
    public static void marker(Path file, long id, long position, int next, boolean validCrc) throws IOException {
        try (RandomAccessFile out = new RandomAccessFile(file.toFile(), "rw")) {
            out.seek(position);
            out.writeInt(next);
            out.writeInt(validCrc ? markerCrc(id, (int) position) : 0);
        }
    }

    /** Overwrites {@code bytes} at {@code position}. */
    public static void overwrite(Path file, long position, byte[] bytes) throws IOException {
        try (RandomAccessFile out = new RandomAccessFile(file.toFile(), "rw")) {
            out.seek(position);
            out.write(bytes);
        }
    }

    private static byte[] header(int version, long id) {
        ByteBuffer header = ByteBuffer.allocate(headerLength());
        header.putInt(version).putLong(id).putShort((short) PARAMETERS.length).put(PARAMETERS);
        // The CRC covers the version, the id's halves (low first), the parameters' length as an int, the parameters.
        ByteBuffer covered = ByteBuffer.allocate(4 * 4 + PARAMETERS.length)
                .putInt(version).putInt((int) id).putInt((int) (id >>> 32)).putInt(PARAMETERS.length).put(PARAMETERS);
        header.putInt(crc32(covered.array()));
        return header.array();
    }

    /** The marker's CRC covers the id's halves (low first) and the marker's own offset, each as four bytes. */
    private static int markerCrc(long id, int position) {
        return crc32(ByteBuffer.allocate(12).putInt((int) id).putInt((int) (id >>> 32)).putInt(position).array());
    }

    private static int crc32(byte[] bytes) {
        CRC32 crc = new CRC32();
        crc.update(bytes);
        return (int) crc.getValue();
    }

    private static byte[] randomBytes(int count, Random random) {
        byte[] bytes = new byte[count];
        random.nextBytes(bytes);
        return bytes;
    }
}
