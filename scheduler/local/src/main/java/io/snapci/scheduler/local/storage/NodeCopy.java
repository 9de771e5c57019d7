package io.snapci.scheduler.local.storage;

import io.snapci.scheduler.core.storage.StorageException;
import io.snapci.scheduler.local.storage.CassandraFileClassifier.Action;
import io.snapci.scheduler.local.storage.CassandraFileClassifier.Area;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The copy of a whole node: first what is on the source (a plan, listed once, used for the space check), then the
 * copy into {@code <clone>/{data,commitlog,hints,saved_caches}}. Hints are left out: a node keeps them for its peers,
 * which the copy does not have (it never delivers them), and they hold production's writes as they were.
 *
 * <p>Order matters on a running node: the commit log is copied <em>before</em> the SSTables. A write the
 * node had when the commit log was copied is then either in a copied segment, or was flushed into an SSTable before
 * the SSTables were copied; copying SSTables first could miss a write flushed (and its segment recycled) in between.
 * Replaying a segment whose writes are also in an SSTable is harmless: SSTables record which commit log positions
 * they cover, and writes are idempotent. Of a segment, only what replay reads is copied ({@link CommitLogPrefix}),
 * as it was when the plan read its sync markers: writes synced after that are after the copy's point in time, like
 * writes to a segment after it was copied.
 */
final class NodeCopy {

    /** A table directory of the source and where it goes in the copy, relative to {@code data/}. */
    private record Table(Path source, Path relative, TableListing listing) {
    }

    /**
     * A file that is copied, relative to its area's directory: {@code size} bytes of it, the whole file unless
     * {@code prefixOnly} (a commit log segment whose unread tail is left out: {@link CommitLogPrefix}).
     */
    private record Plain(Path source, Path relative, long size, boolean prefixOnly) {
    }

    private final SourceLayout layout;
    private final CassandraFileClassifier classifier;
    private final ListingMemory memory;
    private final List<Table> tables;
    private final List<Plain> commitlog;
    private final List<Plain> looseData;
    private final int skipped;

    private NodeCopy(SourceLayout layout, CassandraFileClassifier classifier, ListingMemory memory,
                     List<Table> tables, List<Plain> commitlog, List<Plain> looseData, int skipped) {
        this.layout = layout;
        this.classifier = classifier;
        this.memory = memory;
        this.tables = tables;
        this.commitlog = commitlog;
        this.looseData = looseData;
        this.skipped = skipped;
    }

    /**
     * Where a node's parts go in a copy. One node's copy is {@code <clone>/{data,commitlog}}; a further node of a
     * cluster puts its data in {@code <clone>/data-<n>} and its commit log beside the first node's.
     */
    record Destination(Path data, Path commitlog) {
        static Destination whole(Path cloneDir) {
            return new Destination(cloneDir.resolve("data"), cloneDir.resolve("commitlog"));
        }
    }

    /** Lists the source (reads only directory listings and file attributes). */
    static NodeCopy plan(SourceLayout layout, CassandraFileClassifier classifier) throws IOException {
        return plan(layout, classifier, Set.of(), ListingMemory.NONE);
    }

    /**
     * Lists the source without the keyspaces in {@code skipKeyspaces} (a further node's per-node {@code system}
     * and its copy of the schema); SSTables {@code memory} holds from an earlier copy keep their filter verdicts,
     * and the copy tells it what it copied.
     */
    static NodeCopy plan(SourceLayout layout, CassandraFileClassifier classifier, Set<String> skipKeyspaces,
                         ListingMemory memory) throws IOException {
        List<Table> tables = new ArrayList<>();
        List<Plain> looseData = new ArrayList<>();
        for (Path keyspace : SourceLayout.children(layout.data())) {
            if (skipKeyspaces.contains(keyspace.getFileName().toString())) {
                continue;
            }
            if (!Files.isDirectory(keyspace)) {
                addPlain(looseData, layout.data(), keyspace);
                continue;
            }
            for (Path table : SourceLayout.children(keyspace)) {
                if (Files.isDirectory(table)) {
                    tables.add(new Table(table, layout.data().relativize(table),
                            TableListing.of(table, classifier, memory.recall(table))));
                } else {
                    addPlain(looseData, layout.data(), table);
                }
            }
        }
        // Saved caches and hints: each file counts; the areas' classification says SKIP for all of them.
        int skipped = layout.ignored().size() + countSkipped(layout.savedCaches(), Area.SAVED_CACHES, classifier)
                + countSkipped(layout.hints(), Area.HINTS, classifier);
        return new NodeCopy(layout, classifier, memory, tables, walk(layout.commitlog(), true), looseData, skipped);
    }

    /** How many files of {@code area}'s directory (none if {@code null}) the classifier leaves out. */
    private static int countSkipped(Path dir, Area area, CassandraFileClassifier classifier) throws IOException {
        return (int) walk(dir, false).stream()
                .filter(f -> classifier.classify(area, name(f.source())) == Action.SKIP).count();
    }

    /** The bytes that will really be written: copies, plus the files to link if links turned out impossible. */
    long bytesToCopy(boolean linksWork) {
        long bytes = Stream.of(commitlog, looseData).flatMap(List::stream).mapToLong(Plain::size).sum();
        for (Table table : tables) {
            bytes += table.listing().bytes(Action.COPY) + (linksWork ? 0 : table.listing().bytes(Action.LINK));
        }
        return bytes;
    }

    /** A file that will be copied, to find out whether reflinks work; the smallest, to keep the trial cheap. */
    Optional<Path> sampleToCopy() {
        return Stream.concat(Stream.of(commitlog, looseData).flatMap(List::stream),
                        tables.stream().flatMap(t -> entries(t, Action.COPY)))
                .min(Comparator.comparingLong(Plain::size)).map(Plain::source);
    }

    /** A file that will be hard-linked, to find out whether hard links work. */
    Optional<Path> sampleToLink() {
        return tables.stream().flatMap(t -> entries(t, Action.LINK)).findFirst().map(Plain::source);
    }

    /**
     * Makes the copy in {@code cloneDir} (which has the empty layout already).
     *
     * @param startNanos when the whole operation started ({@link System#nanoTime()}), so the time reported includes
     *                   validating and listing the source
     */
    CopyStats copyInto(Path cloneDir, FileTransfer transfer, long startNanos) throws IOException, StorageException {
        return copyInto(Destination.whole(cloneDir), transfer, startNanos);
    }

    /** The commit log segments' file names, which must not meet another node's in a merged copy. */
    Set<String> commitlogNames() {
        Set<String> names = new java.util.TreeSet<>();
        commitlog.forEach(p -> names.add(p.relative().toString()));
        return names;
    }

    /** Makes the copy into {@code to}, whose directories may not exist yet. */
    CopyStats copyInto(Destination to, FileTransfer transfer, long startNanos) throws IOException, StorageException {
        long copiedFiles = 0;
        long copiedBytes = 0;
        // The commit log first: see the class comment. A segment that vanished meanwhile was discarded; its writes
        // are in the SSTables copied afterwards.
        Map<Path, List<Plain>> plainAreas = new LinkedHashMap<>();
        if (to.commitlog() != null) {
            plainAreas.put(to.commitlog(), commitlog);
        }
        plainAreas.put(to.data(), looseData);
        Files.createDirectories(to.data());
        for (Map.Entry<Path, List<Plain>> area : plainAreas.entrySet()) {
            Path areaDir = area.getKey();
            Map<Path, List<Plain>> byDir = new LinkedHashMap<>();
            for (Plain p : area.getValue()) {
                Path target = areaDir.resolve(p.relative().toString());
                byDir.computeIfAbsent(target.getParent(), d -> new ArrayList<>()).add(p);
            }
            for (Map.Entry<Path, List<Plain>> batch : byDir.entrySet()) {
                Files.createDirectories(batch.getKey());
                List<Path> sources = batch.getValue().stream().filter(p -> !p.prefixOnly()).map(Plain::source)
                        .toList();
                Set<Path> vanished = new java.util.HashSet<>(transfer.copyInto(batch.getKey(), sources));
                for (Plain p : batch.getValue()) {
                    if (p.prefixOnly() && !transfer.copyPrefix(p.source(),
                            batch.getKey().resolve(p.source().getFileName().toString()), p.size())) {
                        vanished.add(p.source());
                    }
                }
                for (Plain p : batch.getValue()) {
                    if (!vanished.contains(p.source())) {
                        copiedFiles++;
                        copiedBytes += p.size();
                    }
                }
            }
        }
        long linkedFiles = 0;
        long linkedBytes = 0;
        long skippedTotal = skipped;
        int relists = 0;
        TableCopier copier = new TableCopier(classifier, transfer);
        for (Table table : tables) {
            TableCopier.Result r = copier.copy(table.source(), to.data().resolve(table.relative().toString()),
                    table.listing());
            memory.remember(table.source(), r.copied());
            linkedFiles += r.linkedFiles();
            linkedBytes += r.linkedBytes();
            copiedFiles += r.copiedFiles();
            copiedBytes += r.copiedBytes();
            skippedTotal += r.skipped();
            relists += r.relists();
        }
        long millis = (System.nanoTime() - startNanos) / 1_000_000;
        return new CopyStats(linkedFiles, linkedBytes, copiedFiles, copiedBytes, skippedTotal, transfer.reflink(),
                relists, millis);
    }

    /** Whether the source had a commit log to copy (a data directory given on its own has none). */
    boolean hasCommitLog() {
        return layout.commitlog() != null;
    }

    private static Stream<Plain> entries(Table table, Action action) {
        return table.listing().units().values().stream().flatMap(u -> u.entries().stream())
                .filter(e -> e.action() == action).map(e -> new Plain(e.source(), e.relative(), e.size(), false));
    }

    private static void addPlain(List<Plain> into, Path base, Path file) throws IOException {
        if (Files.isRegularFile(file)) {
            into.add(new Plain(file, base.relativize(file), Files.size(file), false));
        }
    }

    /**
     * Every regular file under {@code dir} (none if {@code dir} is {@code null}); symlinked directories not walked.
     * With {@code segments}, each file is a commit log segment of which only what replay reads is planned.
     */
    private static List<Plain> walk(Path dir, boolean segments) throws IOException {
        List<Plain> files = new ArrayList<>();
        if (dir == null) {
            return files;
        }
        Files.walkFileTree(dir, new LiveTreeVisitor() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                if (Files.isRegularFile(file)) {
                    try {
                        long size = Files.size(file);
                        long planned = segments ? CommitLogPrefix.replayedLength(file) : size;
                        files.add(new Plain(file, dir.relativize(file), planned, planned < size));
                    } catch (NoSuchFileException e) {
                        // recycled while we listed
                    }
                }
                return FileVisitResult.CONTINUE;
            }
        });
        return files;
    }

    private static String name(Path path) {
        return path.getFileName().toString();
    }
}
