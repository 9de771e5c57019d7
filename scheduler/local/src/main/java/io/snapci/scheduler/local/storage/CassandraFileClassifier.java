package io.snapci.scheduler.local.storage;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decides, by name alone, what the copy does with each file of a Cassandra node: hard-link it, really copy it, or
 * leave it out. Names only, so classifying never touches the source.
 *
 * <p>The rule of thumb: a file may be shared with the source (hard link, same inode) only if Cassandra never
 * changes it after writing it; when in doubt, copy — a copy is always safe, it only costs bytes.
 */
public final class CassandraFileClassifier {

    /** What to do with one file. */
    public enum Action {
        /** Hard-link: Cassandra never writes into this file once it exists, so sharing the inode is safe. */
        LINK,
        /** Really copy (a reflink where the filesystem has them): the clone may write it, or we cannot tell. */
        COPY,
        /** Leave out: Cassandra does not need it to start, and it can be large or half-written. */
        SKIP
    }

    /** Where a file lives in the node's directories, which changes what it means. */
    public enum Area {
        /** Inside a table directory {@code <keyspace>/<table>-<id>/} (or one of its index subdirectories). */
        TABLE,
        COMMITLOG,
        HINTS,
        SAVED_CACHES,
        /** Anything else that is copied at all (files loose in the data or a keyspace directory). */
        OTHER
    }

    /**
     * One SSTable component file name, {@code <version>-<generation>-<format>-<Component>.<ext>}, e.g.
     * {@code nb-1-big-Data.db} or {@code nb-3gdn_0cxf_1jdua2rz0vcmu7c6hl-big-Data.db} (a UUID-based generation).
     */
    public record SSTableComponent(String version, String generation, String format, String component,
                                   String extension) {

        /**
         * {@code <version>-<generation>-<format>}: what all components of one SSTable share. The SSTable is the unit
         * the copy keeps whole.
         */
        public String descriptor() {
            return version + "-" + generation + "-" + format;
        }
    }

    /** Directories of a table directory that Cassandra never reads: copies taken by nodetool, incremental backups. */
    private static final Set<String> SKIPPED_TABLE_SUBDIRS = Set.of("snapshots", "backups");

    /**
     * Components a hard link may share with the source: Cassandra never writes into an existing file of these.
     *
     * <p>Data, the indexes (Index for {@code big}, Partitions and Rows for {@code bti}), CompressionInfo, Digest and
     * CRC are written once, when the SSTable is written. Statistics and Summary do change after that (repairedAt and
     * level by repair and {@code sstablerepairedset}/{@code sstablelevelreset}, the summary by index-summary
     * redistribution), but always as a new file: Statistics is written to a temporary file and renamed over the old
     * one (Cassandra 5.0.6 MetadataSerializer.rewriteSSTableMetadata, MetadataSerializer.java:265-279; 4.1.7
     * MetadataSerializer.java:258-271), the summary is deleted before it is written again
     * (5.0.6 IndexSummaryComponent.save, IndexSummaryComponent.java:118-123; 4.1.7 SSTableReader.saveSummary,
     * SSTableReader.java:731-737). Replacing a name leaves the linked inode, the source's file, as it was. Cassandra
     * must work this way: its own snapshots are hard links to these same files.
     *
     * <p>TOC and Filter are not here: Cassandra rewrites both in place. The TOC is truncated and rewritten when
     * components are added to an existing SSTable — a storage-attached index built over it does this
     * (5.0.6 TOCComponent.updateTOC opens it with TRUNCATE_EXISTING, TOCComponent.java:92-108, called from
     * SSTable.registerComponents by StorageAttachedIndexBuilder.java:311; 4.1.7 appends to it, SSTable.java:355);
     * the bloom filter is rewritten in place when it is rebuilt on load, e.g. when the file cannot be read
     * (5.0.6 FilterComponent.save with WriteMode.OVERWRITE, FilterComponent.java:73-78). Both are small next to the
     * data (the filter is about 1.2 bytes per partition), so by name they are copied; a filter is linked only when
     * {@link FilterSharing} has read enough of the SSTable's own metadata to prove it will not be rebuilt.
     * Components of newer features (e.g. SAI) are copied too: what is not known to be safe is copied.
     */
    private static final Set<String> SHAREABLE_COMPONENTS = Set.of(
            "Data", "Index", "Partitions", "Rows", "CompressionInfo", "Digest", "CRC", "Statistics", "Summary");

    // Version: two lower-case letters (ma, nb, da, oa ...). Generation: digits, or the UUID-based form in letters,
    // digits and underscores. Format: big, bti. Component: anything up to the last dot (SAI uses '+' and '-').
    private static final Pattern SSTABLE = Pattern.compile(
            "([a-z]{2})-([A-Za-z0-9_]+)-([a-z]+)-([^.]+)\\.([A-Za-z0-9]+)");

    /** Cassandra's transaction logs: {@code nb_txn_compaction_<uuid>.log}. */
    private static final Pattern TXN_LOG = Pattern.compile("[a-z]{2}_txn_[A-Za-z0-9_-]+\\.log");

    /** Table directories are {@code <table>-<32 hex digit table id>}. */
    private static final Pattern TABLE_DIR = Pattern.compile(".+-[0-9a-f]{32}");

    private final FilterSharing filterSharing;

    /** A classifier that copies every bloom filter. */
    public CassandraFileClassifier() {
        this(FilterSharing.NEVER);
    }

    /**
     * @param filterSharing when a {@code Filter.db}, which names alone would copy, may be linked after all (it reads
     *                      the SSTable's metadata: {@link TableListing} asks it, not {@link #classify})
     */
    public CassandraFileClassifier(FilterSharing filterSharing) {
        this.filterSharing = filterSharing;
    }

    public FilterSharing filterSharing() {
        return filterSharing;
    }

    public static Optional<SSTableComponent> parse(String fileName) {
        Matcher m = SSTABLE.matcher(fileName);
        if (!m.matches()) {
            return Optional.empty();
        }
        return Optional.of(new SSTableComponent(m.group(1), m.group(2), m.group(3), m.group(4), m.group(5)));
    }

    public static boolean isTableDirectoryName(String name) {
        return TABLE_DIR.matcher(name).matches();
    }

    public static boolean isTransactionLog(String fileName) {
        return TXN_LOG.matcher(fileName).matches();
    }

    /** Whether a directory directly inside a table directory is left out ({@code snapshots/}, {@code backups/}). */
    public boolean skipsTableSubdirectory(String name) {
        return SKIPPED_TABLE_SUBDIRS.contains(name);
    }

    public Action classify(Area area, String fileName) {
        return switch (area) {
            case TABLE -> classifyTableFile(fileName);
            // Commit log segments are written in place by the node (and by the clone): always copies.
            case COMMITLOG, OTHER -> Action.COPY;
            // Hints wait for the node's peers (by host id), which the copy does not have: it would never deliver
            // them, and they hold production's writes as they were (unmasked). CloneIdentity removes a volume's.
            case HINTS -> Action.SKIP;
            // Key and row caches are rebuilt on start; leaving them out is faster and changes no data.
            case SAVED_CACHES -> Action.SKIP;
        };
    }

    private Action classifyTableFile(String fileName) {
        // A transaction log marks a compaction or flush in progress; Cassandra reads it on startup to finish or roll
        // back that transaction, so the copy needs it (and it changes: a copy, never a link).
        if (isTransactionLog(fileName)) {
            return Action.COPY;
        }
        Optional<SSTableComponent> sstable = parse(fileName);
        if (sstable.isPresent()) {
            String component = sstable.get().component();
            // Temporary components (tmp-, tmplink-) are half-written files of an operation in progress. Only the
            // component is looked at: a UUID-based generation may contain the letters "tmp" by chance.
            if (component.toLowerCase(Locale.ROOT).contains("tmp")) {
                return Action.SKIP;
            }
            return SHAREABLE_COMPONENTS.contains(component) ? Action.LINK : Action.COPY;
        }
        // Legacy temporary names (ks-cf-tmp-ka-1-Data.db, ks-cf-tmplink-...) and *.tmp files: half-written.
        if (fileName.toLowerCase(Locale.ROOT).contains("tmp")) {
            return Action.SKIP;
        }
        return Action.COPY;
    }
}
