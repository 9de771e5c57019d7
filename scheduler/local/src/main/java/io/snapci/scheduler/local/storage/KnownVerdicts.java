package io.snapci.scheduler.local.storage;

import io.snapci.scheduler.local.storage.TableListing.Entry;

import java.nio.charset.StandardCharsets;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Filter verdicts decided earlier (by a listing a moment ago, or by an earlier copy: {@link ListingMemory}), for the
 * SSTables whose files are exactly as they were then. A verdict found here is taken instead of reading the three
 * files again; any SSTable it does not know is proved.
 */
@FunctionalInterface
interface KnownVerdicts {

    /** Knows nothing: every SSTable is proved. */
    KnownVerdicts NONE = (key, files) -> Optional.empty();

    /**
     * Whether the filter of SSTable {@code key} was shared, when that was decided, and the bytes of its TOC as the
     * proof read them ({@code null} if it did not), which the copy's TOC may be written from.
     */
    record Verdict(boolean linked, FileTime decidedAt, byte[] toc) {
    }

    /**
     * The verdict for the SSTable {@code key} whose files, listed now, have the state {@code files}
     * ({@link #filesState}), if one was decided for that very state.
     */
    Optional<Verdict> verdict(String key, String files);

    /**
     * What must be unchanged for a verdict to stand: each file's path, size, modification time (to the nanosecond
     * the filesystem keeps) and identity (device and inode), as one SHA-256 digest. {@code null} when a file has no
     * identity (a platform without inodes): such an SSTable is always proved.
     */
    static String filesState(List<Entry> entries) {
        MessageDigest digest = sha256();
        for (Entry e : entries) {
            if (e.fileKey() == null) {
                return null;
            }
            String state = e.source() + "\0" + e.size() + "\0" + e.modified().to(TimeUnit.NANOSECONDS) + "\0"
                    + e.fileKey() + "\n";
            digest.update(state.getBytes(StandardCharsets.UTF_8));
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }
}
