package io.snapci.scheduler.local.storage;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32;

/**
 * Writes an SSTable's metadata files in Cassandra 5.0.6's layout, so tests and benchmarks can give the copy the files
 * {@link FilterSharing} reads without booting a node: {@code Statistics.db} as MetadataSerializer.serialize writes it
 * (MetadataSerializer.java:67-110: component count, checksum, a table of (type ordinal, offset), checksum, each
 * component followed by its CRC32), {@code Filter.db} as BloomFilterSerializer and OffHeapBitSet.serialize write it
 * (hash count, word count, the words), and {@code TOC.txt}.
 */
public final class SSTableMetadataFiles {

    private SSTableMetadataFiles() {
    }

    /**
     * A Statistics.db holding the validation metadata (partitioner, fp chance) and, after it, {@code otherBytes} of
     * another component (type ordinal 2, STATS), as the real file has several components.
     */
    public static void statistics(Path file, String partitioner, double fpChance, int otherBytes) throws IOException {
        ByteArrayOutputStream validation = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(validation)) {
            out.writeUTF(partitioner);
            out.writeDouble(fpChance);
        }
        write(file, new int[] {0, 2}, List.of(validation.toByteArray(), randomBytes(otherBytes)));
    }

    /** A Statistics.db without validation metadata: only {@code otherBytes} of a STATS component. */
    public static void statisticsWithoutValidation(Path file, int otherBytes) throws IOException {
        write(file, new int[] {2}, List.of(randomBytes(otherBytes)));
    }

    private static void write(Path file, int[] ordinals, List<byte[]> components) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            CRC32 crc = new CRC32();
            out.writeInt(components.size());
            updateInt(crc, components.size());
            out.writeInt((int) crc.getValue());
            int position = 4 + 8 * components.size() + 2 * 4;
            for (int i = 0; i < components.size(); i++) {
                out.writeInt(ordinals[i]);
                updateInt(crc, ordinals[i]);
                out.writeInt(position);
                updateInt(crc, position);
                position += components.get(i).length + 4;
            }
            out.writeInt((int) crc.getValue());
            for (byte[] component : components) {
                out.write(component);
                crc.reset();
                crc.update(component);
                out.writeInt((int) crc.getValue());
            }
        }
        Files.write(file, bytes.toByteArray());
    }

    private static byte[] randomBytes(int count) {
        byte[] bytes = new byte[count];
        new Random(count).nextBytes(bytes);
        return bytes;
    }

    /** A Filter.db of {@code bytes} bytes (at least 8): its header, then random words filling the rest. */
    public static void filter(Path file, long bytes, Random random) throws IOException {
        long words = (bytes - 8) / 8;
        try (DataOutputStream out = new DataOutputStream(
                new java.io.BufferedOutputStream(Files.newOutputStream(file)))) {
            out.writeInt(7); // hash count
            out.writeInt((int) words);
            byte[] block = new byte[64 * 1024];
            for (long left = words * 8; left > 0; left -= block.length) {
                random.nextBytes(block);
                out.write(block, 0, (int) Math.min(block.length, left));
            }
        }
    }

    /** A TOC.txt naming these components, one per line (e.g. Data.db, Filter.db). */
    public static void toc(Path file, List<String> components) throws IOException {
        Files.write(file, components);
    }

    private static void updateInt(CRC32 crc, int value) {
        crc.update((value >>> 24) & 0xff);
        crc.update((value >>> 16) & 0xff);
        crc.update((value >>> 8) & 0xff);
        crc.update(value & 0xff);
    }
}
