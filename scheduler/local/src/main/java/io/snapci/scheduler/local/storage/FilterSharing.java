package io.snapci.scheduler.local.storage;

import io.snapci.scheduler.local.storage.CassandraFileClassifier.SSTableComponent;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.zip.CRC32;

import static io.snapci.scheduler.local.storage.CassandraFileReads.read;
import static io.snapci.scheduler.local.storage.CassandraFileReads.updateChecksumInt;

/**
 * Decides whether an SSTable's bloom filter ({@code Filter.db}) may be hard-linked into a copy: only when the
 * Cassandra that boots the copy provably will not rewrite it. Everything here only reads the source.
 *
 * <p>Why a proof is needed: Cassandra 5.0.6 rewrites a filter <i>in place</i> ({@code FilterComponent.save} opens it
 * with {@code WriteMode.OVERWRITE}, FilterComponent.java:73-78), which through a hard link would write production's
 * file. It does so only when it rebuilds the filter while opening the SSTable (BigSSTableReaderLoadingBuilder.java:
 * 91-94 and 112-136, BtiTableReaderLoadingBuilder.java:100-109), which happens only when
 * {@code FilterComponent.maybeLoadBloomFilter} (FilterComponent.java:98-140) returns null, that is when:
 * <ol>
 *   <li>the TOC does not list {@code Filter.db} (the SSTable's components are read from it);</li>
 *   <li>{@code Statistics.db} has no validation metadata, or its recorded false-positive chance is NaN;</li>
 *   <li>the fp chance changed and {@code rebuildFilterOnFPChanceChange} is set: a constant {@code false} in 5.0.6
 *       (FilterComponent.java:43), so never;</li>
 *   <li>the filter cannot be read ({@code load} throws an IOException): with the new filter format that is a file of
 *       1 to 7 bytes (the two leading ints, BloomFilterSerializer.deserialize; the bits are then copied up to EOF
 *       without failing, FBUtilities.copy) or a disk read error.</li>
 * </ol>
 * A filter is shared only when the TOC lists it, the validation metadata is there (checksums verified as Cassandra
 * verifies them, MetadataSerializer.java:146-205) with a real fp chance, and the filter file is empty or at least as
 * long as its own header says. A disk that fails to read a file it has just read here is the one case left; a copy is
 * made of everything else. Older Cassandra releases rebuild a filter whose fp chance changed (4.x), so sharing is on
 * only for releases whose loading code was read: {@link #READ_RELEASES}.
 */
public final class FilterSharing {

    /** Cassandra releases whose SSTable loading code this class was checked against. */
    static final Set<String> READ_RELEASES = Set.of("5.0.6");

    /** Never shares a filter: every {@code Filter.db} is copied. */
    public static final FilterSharing NEVER = new FilterSharing(null);

    /** {@code VALIDATION} is the first {@code MetadataType} (MetadataType.java:28): its ordinal in Statistics.db. */
    private static final int VALIDATION_ORDINAL = 0;
    /** More components than Cassandra has ever written (four in 5.0): a header claiming more is not read on. */
    private static final int MAX_COMPONENTS = 16;
    /** A partitioner's class name and a double: a validation component longer than this is not one. */
    private static final int MAX_VALIDATION_BYTES = 64 * 1024;

    /** The release whose loading code the proofs follow; {@code null}: sharing is off. */
    private final String release;

    private FilterSharing(String release) {
        this.release = release;
    }

    /** Sharing as the copy's Cassandra release allows: on for a release in {@link #READ_RELEASES}, off otherwise. */
    public static FilterSharing forRelease(String cassandraRelease) {
        return new FilterSharing(cassandraRelease != null && READ_RELEASES.contains(cassandraRelease)
                ? cassandraRelease : null);
    }

    public boolean enabled() {
        return release != null;
    }

    /** The Cassandra release the verdicts are for, {@code null} when sharing is off. */
    String release() {
        return release;
    }

    /**
     * What one proof found: whether the SSTable's {@code Filter.db} may be linked, and the bytes of its
     * {@code TOC.txt} as the proof read them ({@code null} if it did not get to read them), from which the copy's
     * TOC can be written without reading the file again.
     */
    record Proof(boolean linked, byte[] toc) {

        /** Copy the filter; the TOC was not read. */
        static final Proof COPY_UNREAD = new Proof(false, null);
    }

    /**
     * Whether this SSTable's {@code Filter.db} may be linked.
     *
     * @param sstable    the SSTable (its version says whether its metadata carries checksums)
     * @param filter     its {@code Filter.db} in the source
     * @param statistics its {@code Statistics.db}
     * @param toc        its {@code TOC.txt}
     */
    public boolean mayLink(SSTableComponent sstable, Path filter, Path statistics, Path toc) {
        return prove(sstable, filter, statistics, toc).linked();
    }

    /** {@link #mayLink}, with the TOC's bytes the proof read. */
    Proof prove(SSTableComponent sstable, Path filter, Path statistics, Path toc) {
        if (!enabled() || !hasChecksummedMetadata(sstable)) {
            return Proof.COPY_UNREAD;
        }
        byte[] tocBytes;
        try {
            tocBytes = Files.readAllBytes(toc);
        } catch (IOException | RuntimeException e) {
            return Proof.COPY_UNREAD; // cannot tell: a copy is always safe
        }
        try {
            return new Proof(tocListsFilter(tocBytes) && hasValidationFpChance(statistics) && filterReadable(filter),
                    tocBytes);
        } catch (IOException | RuntimeException e) {
            return new Proof(false, tocBytes);
        }
    }

    /**
     * The formats whose Statistics.db carries checksums and whose filter is in the new format: {@code big} from
     * version {@code na} on (BigFormat.java:404-405), every {@code bti} version (BtiFormat.java:351-360).
     */
    private static boolean hasChecksummedMetadata(SSTableComponent sstable) {
        return switch (sstable.format()) {
            case "big" -> sstable.version().compareTo("na") >= 0;
            case "bti" -> true;
            default -> false;
        };
    }

    /**
     * The TOC names the components, one per line: {@code Filter.db} must be one of them. Decoded strictly, as
     * {@code Files.readAllLines} does: a TOC that is not UTF-8 proves nothing.
     */
    private static boolean tocListsFilter(byte[] toc) throws CharacterCodingException {
        return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(toc)).toString().lines()
                .map(String::strip).anyMatch("Filter.db"::equals);
    }

    /**
     * Reads Statistics.db as MetadataSerializer.deserialize does, up to the validation metadata's fp chance: the
     * header and that one component, not the whole file (its other components hold histograms).
     */
    static boolean hasValidationFpChance(Path statistics) throws IOException {
        try (FileChannel file = FileChannel.open(statistics, StandardOpenOption.READ)) {
            long size = file.size();
            ByteBuffer header = read(file, 0, (int) Math.min(size, 4 + 4 + 8L * MAX_COMPONENTS + 4));
            CRC32 crc = new CRC32();
            int count = header.getInt();
            updateChecksumInt(crc, count);
            if (count < 1 || count > MAX_COMPONENTS || header.getInt() != (int) crc.getValue()) {
                return false;
            }
            int[] ordinals = new int[count];
            long[] offsets = new long[count];
            for (int i = 0; i < count; i++) {
                ordinals[i] = header.getInt();
                updateChecksumInt(crc, ordinals[i]);
                int offset = header.getInt();
                updateChecksumInt(crc, offset);
                offsets[i] = Integer.toUnsignedLong(offset);
            }
            if (header.getInt() != (int) crc.getValue()) {
                return false;
            }
            for (int i = 0; i < count; i++) {
                if (ordinals[i] == VALIDATION_ORDINAL) {
                    long end = i + 1 < count ? offsets[i + 1] : size;
                    long length = end - offsets[i];
                    if (length < 2 + 8 + 4 || length > MAX_VALIDATION_BYTES || end > size) {
                        return false;
                    }
                    return validationHasFpChance(read(file, offsets[i], (int) length));
                }
            }
            return false; // no validation metadata: Cassandra would rebuild the filter
        } catch (BufferUnderflowException e) {
            return false; // shorter than its header says
        }
    }

    /** The validation component and its CRC32: the partitioner (UTF), the fp chance (double), then the checksum. */
    private static boolean validationHasFpChance(ByteBuffer component) {
        int length = component.limit() - 4;
        CRC32 crc = new CRC32();
        crc.update(component.slice(0, length));
        if (component.getInt(length) != (int) crc.getValue()) {
            return false; // Cassandra would refuse the SSTable (no filter loaded, none rewritten), but copy anyway
        }
        int partitionerBytes = Short.toUnsignedInt(component.getShort(0));
        if (2 + partitionerBytes + 8 > length) {
            return false;
        }
        return !Double.isNaN(component.getDouble(2 + partitionerBytes));
    }


    /** The filter file: empty (Cassandra reads "always present"), or at least its two ints and the words they count. */
    static boolean filterReadable(Path filter) throws IOException {
        long size = Files.size(filter);
        if (size == 0) {
            return true;
        }
        if (size < 8) {
            return false;
        }
        try (InputStream raw = Files.newInputStream(filter); DataInputStream in = new DataInputStream(raw)) {
            int hashes = in.readInt();
            int words = in.readInt();
            return hashes > 0 && words >= 0 && size >= 8 + 8L * words;
        }
    }

}
