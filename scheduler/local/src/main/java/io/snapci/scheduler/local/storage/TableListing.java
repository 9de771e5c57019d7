package io.snapci.scheduler.local.storage;

import io.snapci.scheduler.local.storage.CassandraFileClassifier.Action;
import io.snapci.scheduler.local.storage.CassandraFileClassifier.Area;
import io.snapci.scheduler.local.storage.CassandraFileClassifier.SSTableComponent;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What a table directory held at one moment, grouped into units the copy keeps whole: every SSTable (all components
 * sharing {@code <version>-<generation>-<format>}) is one unit, every other file is a unit of its own. Index
 * subdirectories ({@code .<index>/}) are included; {@code snapshots/} and {@code backups/} are not walked.
 *
 * @param units       by key, in a stable order
 * @param directories the subdirectories to create in the copy, relative to the table directory
 * @param skipped     entries left out (a skipped directory counts once)
 */
record TableListing(Map<String, Unit> units, List<Path> directories, int skipped) {

    /**
     * One file: where it is, what to do with it, and what it looked like when listed; {@code sstable} is its name
     * parsed as an SSTable component, or {@code null} for any other file; {@code linkFrom} is the file a hard link is
     * made to: {@code source}, or the file it points at if it is a symlink (link() would link the symlink itself).
     */
    record Entry(Path source, Path relative, Action action, long size, FileTime modified, Object fileKey,
                 SSTableComponent sstable, Path linkFrom) {

        /** This entry hard-linked instead. */
        Entry linked() {
            return new Entry(source, relative, Action.LINK, size, modified, fileKey, sstable, linkFrom);
        }
    }

    /**
     * An SSTable or a single other file. {@code listedAt}: when the listing that decided its entries' actions began
     * (a unit whose verdict came from an earlier listing keeps that listing's time), by the clock that stamps
     * modification times. {@code filesState}: for an SSTable whose filter needed a verdict, the state of its files
     * that verdict holds for ({@link KnownVerdicts#filesState}); {@code null} for any other unit. {@code toc}: the
     * bytes of its {@code TOC.txt} as that verdict's proof read them, {@code null} if none did.
     */
    record Unit(String key, List<Entry> entries, FileTime listedAt, String filesState, byte[] toc) {

        /**
         * The bytes to write the copy's {@code TOC.txt} from instead of reading the file again: those its proof read,
         * when the TOC had settled ({@link ListingMemory#SETTLED}) before the listing its verdict came from and still
         * has their size. Its state (size, modification time, inode) is then the one it had when it was read, and a
         * TOC that had settled cannot have changed since within one tick of its modification time: the rule the
         * verdict itself is kept by. Empty: copy the file.
         */
        Optional<byte[]> tocToWrite() {
            if (toc == null) {
                return Optional.empty();
            }
            FileTime settledBefore = FileTime.from(listedAt.toInstant().minus(ListingMemory.SETTLED));
            return entries.stream().filter(Unit::isToc).findFirst()
                    .filter(e -> e.action() == Action.COPY && e.size() == toc.length)
                    .filter(e -> e.modified().compareTo(settledBefore) < 0)
                    .map(e -> toc);
        }

        /** Whether the entry is an SSTable's {@code TOC.txt}. */
        static boolean isToc(Entry e) {
            return e.sstable() != null && e.sstable().component().equals("TOC");
        }

        /** Whether this SSTable's {@code Filter.db} is linked (its proof said the copy's Cassandra keeps it). */
        boolean filterLinked() {
            return entries.stream().anyMatch(e -> e.sstable() != null && e.sstable().component().equals("Filter")
                    && e.action() == Action.LINK);
        }

        /**
         * Whether the copy made of {@code earlier} is still a right copy of this unit: the same files, each with the
         * same action, and unchanged where it matters — the size and modification time of those that are copied, the
         * inode of those that are linked (a linked file shares its inode, so later changes to it — a compaction still
         * writing it — are seen by the clone anyway, and Cassandra's transaction log decides about it on startup; but
         * a Statistics.db the node replaced by a rename is a new inode the copy must link again). Compared field by
         * field: a table of many SSTables is compared after every round of its copy.
         */
        boolean copiesAlike(Unit earlier) {
            if (entries.size() != earlier.entries.size()) {
                return false;
            }
            for (int i = 0; i < entries.size(); i++) {
                Entry now = entries.get(i);
                Entry then = earlier.entries.get(i);
                boolean alike = now.relative().equals(then.relative()) && now.action() == then.action()
                        && (now.action() == Action.COPY
                        ? now.size() == then.size() && now.modified().equals(then.modified())
                        : java.util.Objects.equals(now.fileKey(), then.fileKey()));
                if (!alike) {
                    return false;
                }
            }
            return true;
        }
    }

    static TableListing empty() {
        return new TableListing(Map.of(), List.of(), 0);
    }

    /** Lists a table directory; a directory that is gone (the table was dropped meanwhile) lists as empty. */
    static TableListing of(Path tableDir, CassandraFileClassifier classifier) throws IOException {
        return of(tableDir, classifier, empty());
    }

    /**
     * Lists a table directory again after {@code previous}: an SSTable whose files are all as they were (the same
     * paths, sizes, modification times and inodes) keeps the filter decision made then, since the proof would read
     * the same bytes again; the others are proved anew.
     */
    static TableListing of(Path tableDir, CassandraFileClassifier classifier, TableListing previous)
            throws IOException {
        return of(tableDir, classifier, previous.verdicts());
    }

    /** Lists a table directory, taking the filter verdicts {@code known} has for SSTables whose files are unchanged. */
    static TableListing of(Path tableDir, CassandraFileClassifier classifier, KnownVerdicts known)
            throws IOException {
        // The system clock, not an injected one: it is compared with modification times (ListingMemory).
        FileTime listedAt = FileTime.from(java.time.Instant.now());
        Path root;
        try {
            root = tableDir.toRealPath(); // a symlinked table directory (on another disk) is walked where it is
        } catch (NoSuchFileException e) {
            return empty();
        }
        Map<String, List<Entry>> grouped = new TreeMap<>();
        List<Path> directories = new ArrayList<>();
        int[] skipped = {0};
        Files.walkFileTree(root, new LiveTreeVisitor() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                if (!dir.equals(root)) {
                    if (dir.getParent().equals(root) && classifier.skipsTableSubdirectory(name(dir))) {
                        skipped[0]++;
                        return FileVisitResult.SKIP_SUBTREE;
                    }
                    directories.add(root.relativize(dir));
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                BasicFileAttributes real = attrs;
                Path linkFrom = file;
                if (attrs.isSymbolicLink()) {
                    try {
                        real = Files.readAttributes(file, BasicFileAttributes.class);
                        linkFrom = file.toRealPath();
                    } catch (NoSuchFileException e) {
                        real = attrs; // dangling: counted as skipped below
                    }
                }
                Action action = real.isRegularFile() ? classifier.classify(Area.TABLE, name(file)) : Action.SKIP;
                if (action == Action.SKIP) {
                    skipped[0]++;
                    return FileVisitResult.CONTINUE;
                }
                Path relative = root.relativize(file);
                String parent = relative.getParent() == null ? "" : relative.getParent() + "/";
                SSTableComponent sstable = CassandraFileClassifier.parse(name(file)).orElse(null);
                String key = sstable != null ? "sstable:" + parent + sstable.descriptor() : "file:" + relative;
                grouped.computeIfAbsent(key, k -> new ArrayList<>())
                        .add(new Entry(file, relative, action, real.size(), real.lastModifiedTime(),
                                real.fileKey(), sstable, linkFrom));
                return FileVisitResult.CONTINUE;
            }
        });
        grouped.values().forEach(entries -> entries.sort(Comparator.comparing(e -> e.relative().toString())));
        return new TableListing(withSharedFilters(grouped, classifier.filterSharing(), known, listedAt),
                List.copyOf(directories), skipped[0]);
    }

    /** One SSTable whose {@code Filter.db} the proof must decide about: its entries and the three it reads. */
    private record Undecided(String key, List<Entry> entries, String files, Entry filter,
                             FilterProofs.Candidate candidate) {
    }

    /**
     * The units, each SSTable's {@code Filter.db} linked instead of copied where {@link FilterSharing} proves the
     * copy's Cassandra will not rewrite it (or {@code previous} decided so for the very same files); every other
     * entry as listed. The proofs run together ({@link FilterProofs}).
     */
    private static Map<String, Unit> withSharedFilters(Map<String, List<Entry>> grouped, FilterSharing sharing,
                                                       KnownVerdicts known, FileTime listedAt) {
        Map<String, Unit> units = new LinkedHashMap<>();
        List<Undecided> undecided = new ArrayList<>();
        grouped.forEach((key, entries) -> {
            units.put(key, new Unit(key, List.copyOf(entries), listedAt, null, null));
            if (!sharing.enabled()) {
                return;
            }
            Map<String, Entry> byComponent = new LinkedHashMap<>();
            for (Entry e : entries) {
                if (e.sstable() != null) {
                    byComponent.put(e.sstable().component(), e);
                }
            }
            Entry filter = byComponent.get("Filter");
            Entry statistics = byComponent.get("Statistics");
            Entry toc = byComponent.get("TOC");
            if (filter == null || statistics == null || toc == null || filter.action() != Action.COPY) {
                return;
            }
            String files = KnownVerdicts.filesState(entries);
            Optional<KnownVerdicts.Verdict> verdict = known.verdict(key, files);
            if (verdict.isPresent()) { // proved (or not) on these very files before
                units.put(key, decided(key, entries, files, filter, verdict.get()));
                return;
            }
            undecided.add(new Undecided(key, entries, files, filter, new FilterProofs.Candidate(filter.sstable(),
                    filter.source(), statistics.source(), toc.source())));
        });
        List<FilterSharing.Proof> proofs = FilterProofs.decide(sharing,
                undecided.stream().map(Undecided::candidate).toList());
        for (int i = 0; i < undecided.size(); i++) {
            Undecided u = undecided.get(i);
            FilterSharing.Proof proof = proofs.get(i);
            units.put(u.key(), decided(u.key(), u.entries(), u.files(), u.filter(),
                    new KnownVerdicts.Verdict(proof.linked(), listedAt, proof.toc())));
        }
        return units;
    }

    /** The unit with its filter linked or copied as {@code verdict} says. */
    private static Unit decided(String key, List<Entry> entries, String files, Entry filter,
                                KnownVerdicts.Verdict verdict) {
        return new Unit(key, entries.stream().map(e -> verdict.linked() && e == filter ? e.linked() : e).toList(),
                verdict.decidedAt(), files, verdict.toc());
    }

    /**
     * The filter verdicts of this listing, for a listing taken again: an SSTable whose files are unchanged keeps
     * the verdict (and its time) this listing holds.
     */
    KnownVerdicts verdicts() {
        return (key, files) -> {
            Unit unit = units.get(key);
            if (unit == null || files == null || !files.equals(unit.filesState())) {
                return Optional.empty();
            }
            return Optional.of(new KnownVerdicts.Verdict(unit.filterLinked(), unit.listedAt(), unit.toc()));
        };
    }

    /** Whether a copy made from {@code earlier} is still right for this listing: the same units, each alike. */
    boolean copiesAlike(TableListing earlier) {
        if (!units.keySet().equals(earlier.units.keySet())) {
            return false;
        }
        for (Unit unit : units.values()) {
            if (!unit.copiesAlike(earlier.units.get(unit.key()))) {
                return false;
            }
        }
        return true;
    }

    /** The bytes of all files with this action. */
    long bytes(Action action) {
        return units.values().stream().flatMap(u -> u.entries().stream())
                .filter(e -> e.action() == action).mapToLong(Entry::size).sum();
    }

    private static String name(Path path) {
        return path.getFileName().toString();
    }
}
