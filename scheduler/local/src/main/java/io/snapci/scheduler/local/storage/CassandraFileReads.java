package io.snapci.scheduler.local.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.zip.CRC32;

/**
 * The two primitives the copy needs to read Cassandra's own files (Statistics.db for {@link FilterSharing}, commit
 * log segments for {@link CommitLogPrefix}): a positional read, and Cassandra's way of putting an int into a CRC.
 */
final class CassandraFileReads {

    private CassandraFileReads() {
    }

    /** {@code length} bytes from {@code position}, fewer if the file ends first; flipped, ready to read. */
    static ByteBuffer read(FileChannel file, long position, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining() && file.read(buffer, position + buffer.position()) >= 0) {
            // until full or at the end of the file
        }
        return buffer.flip();
    }

    /** {@code FBUtilities.updateChecksumInt}: the int's four bytes, most significant first. */
    static void updateChecksumInt(CRC32 crc, int value) {
        crc.update(value >>> 24);
        crc.update(value >>> 16);
        crc.update(value >>> 8);
        crc.update(value);
    }
}
