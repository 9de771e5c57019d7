package io.snapci.scheduler.local.storage;

import io.snapci.model.Source;
import io.snapci.scheduler.core.storage.Clone;
import io.snapci.scheduler.core.storage.SnapshotDriver;
import io.snapci.scheduler.core.storage.StorageException;
import io.snapci.scheduler.core.storage.StorageException.Kind;
import io.snapci.scheduler.local.storage.FileTransfer.LinkProblem;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Makes writable copies of a Cassandra node's directories on this machine, at a cost that grows with the number of
 * files rather than their bytes: SSTable components Cassandra never changes are hard-linked; everything the clone's
 * Cassandra may write (commit log, SSTable metadata, transaction logs) is really copied — as reflinks where
 * the filesystem has them. Snapshots, backups, temporary files, saved caches and hints are left out.
 *
 * <p>Each copy is {@code <cloneRoot>/<runId>/{data,commitlog,hints,saved_caches}} plus a marker file
 * ({@link CloneMarker}) that proves the directory is this driver's.
 *
 * <p><b>What a copy of a running node holds.</b> A stopped node gives an exact copy. A running node (best after
 * {@code nodetool flush}) gives: the data flushed to SSTables as of the copy of each table, plus whatever the commit
 * log segments held when they were copied (they are copied first, see {@link NodeCopy}), which the clone replays on
 * startup. Each table's SSTables are a set the table really had at one moment ({@link TableCopier} re-lists a table
 * that a compaction changed meanwhile), but that moment differs per table: the copy is not a point in time across
 * tables, let alone across a cluster. Writes that arrive during the copy may or may not be in it.
 *
 * <p><b>The source is sacred.</b> The source is only read: never opened for writing, nothing created, deleted or
 * renamed in it, no permissions or modification times changed. (Hard links do raise a source file's link count and
 * so its ctime; its content, inode, mtime and permissions stay.) Only directories directly inside the clone root that
 * carry this driver's marker for the run are ever deleted; on any failure while copying, the partial copy is deleted
 * before the exception is thrown.
 */
public final class LocalDirectoryDriver implements SnapshotDriver {

    /** A copy and the numbers of how it was made. */
    public record LocalClone(Clone copy, CopyStats stats) {
    }

    /** Room left on the clone root's filesystem beyond the bytes a copy writes: 64 MiB, or 5% if that is more. */
    static final long MIN_MARGIN = 64L * 1024 * 1024;

    /** The directories every copy has, whatever the source lacks: what Cassandra's config points at. */
    public static final List<String> LAYOUT = List.of("data", "commitlog", "hints", "saved_caches");

    /** A run id names a directory: one path segment, no dots or slashes to climb out of the clone root. */
    private static final Pattern RUN_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,199}");

    /** SSTables (and other table files) whose filter verdicts are kept: a few kB each, more than most nodes have. */
    static final int REMEMBERED_UNITS = 20_000;

    private final Path cloneRoot;
    private final DiskSpace diskSpace;
    private final Clock clock;
    private final CopyObserver observer;
    private final CassandraFileClassifier classifier;
    /** What earlier copies proved about the source's SSTables: a repeated copy of one node proves only what is new. */
    private final ListingMemory listings;
    /** Whether copies can be reflinks: a filesystem found without them is not asked again. */
    private final ReflinkProbe reflinks = new ReflinkProbe();

    /** With the real disk space and the system clock. */
    public LocalDirectoryDriver(Path cloneRoot) {
        this(cloneRoot, DiskSpace.fileStores(), Clock.systemUTC());
    }

    /**
     * @param cloneRoot where copies live, e.g. {@code ~/.snapci/clones}; created when needed. Best on the source's
     *                  filesystem, where SSTables can be hard-linked.
     */
    public LocalDirectoryDriver(Path cloneRoot, DiskSpace diskSpace, Clock clock) {
        this(cloneRoot, diskSpace, clock, FilterSharing.NEVER);
    }

    /**
     * @param filterSharing whether bloom filters may be linked, as the Cassandra that boots the copies allows
     *                      ({@link FilterSharing#forRelease}); {@link FilterSharing#NEVER} copies them all
     */
    public LocalDirectoryDriver(Path cloneRoot, DiskSpace diskSpace, Clock clock, FilterSharing filterSharing) {
        this(cloneRoot, diskSpace, clock, CopyObserver.NONE, filterSharing);
    }

    LocalDirectoryDriver(Path cloneRoot, DiskSpace diskSpace, Clock clock, CopyObserver observer) {
        this(cloneRoot, diskSpace, clock, observer, FilterSharing.NEVER);
    }

    LocalDirectoryDriver(Path cloneRoot, DiskSpace diskSpace, Clock clock, CopyObserver observer,
                         FilterSharing filterSharing) {
        this(cloneRoot, diskSpace, clock, observer, filterSharing, null);
    }

    /**
     * @param verdictsFile where the filter verdicts of the copies are kept for the next process with this file (a
     *                     work root's {@code snapci run}s one after the other); {@code null}: only in this driver
     */
    public LocalDirectoryDriver(Path cloneRoot, DiskSpace diskSpace, Clock clock, FilterSharing filterSharing,
                                Path verdictsFile) {
        this(cloneRoot, diskSpace, clock, CopyObserver.NONE, filterSharing, verdictsFile);
    }

    private LocalDirectoryDriver(Path cloneRoot, DiskSpace diskSpace, Clock clock, CopyObserver observer,
                                 FilterSharing filterSharing, Path verdictsFile) {
        this.cloneRoot = cloneRoot.toAbsolutePath().normalize();
        this.diskSpace = diskSpace;
        this.clock = clock;
        this.observer = observer;
        this.classifier = new CassandraFileClassifier(filterSharing);
        if (!filterSharing.enabled()) {
            this.listings = ListingMemory.NONE; // every filter is copied: nothing to prove, nothing to remember
        } else if (verdictsFile == null) {
            this.listings = new ListingMemory(REMEMBERED_UNITS);
        } else {
            this.listings = ListingMemory.savedIn(verdictsFile, filterSharing.release(), REMEMBERED_UNITS);
        }
    }

    public Path cloneRoot() {
        return cloneRoot;
    }

    @Override
    public Clone createClone(String runId, Source source) throws StorageException {
        return createCloneWithStats(runId, source).copy();
    }

    /** {@link #createClone} with the numbers, for benchmarks. */
    public LocalClone createCloneWithStats(String runId, Source source) throws StorageException {
        long startNanos = System.nanoTime();
        checkRunId(runId);
        if (source == null) {
            return createEmpty(runId);
        }
        if (!source.isLocal()) {
            throw new StorageException(Kind.INVALID_SOURCE, "the local driver copies directories on this machine,"
                    + " but the source is " + source.describe() + ": use the cluster (Portworx) driver for volumes,"
                    + " or pass a Cassandra data directory");
        }
        List<SourceLayout> layouts = new ArrayList<>();
        for (String given : source.nodeDirs()) {
            SourceLayout layout = SourceLayout.of(given);
            refuseOverlap(layout.root());
            for (SourceLayout other : layouts) {
                if (other.root().startsWith(layout.root()) || layout.root().startsWith(other.root())) {
                    throw new StorageException(Kind.INVALID_SOURCE, "the nodes " + other.root() + " and "
                            + layout.root() + " overlap: give each node's own data directory once");
                }
            }
            layouts.add(layout);
        }
        if (layouts.size() > 1) {
            ClusterSchema.checkAgreement(layouts);
        }
        String sourceName = layouts.size() == 1 ? layouts.get(0).root().toString()
                : String.join(", ", layouts.stream().map(l -> l.root().toString()).toList());
        List<NodeCopy> plans = new ArrayList<>();
        try {
            for (int i = 0; i < layouts.size(); i++) {
                // A further node brings its data, not its own system keyspace (identity, peers, local state) nor a
                // second copy of the schema.
                plans.add(NodeCopy.plan(layouts.get(i), classifier, i == 0 ? Set.of() : FURTHER_NODE_SKIPS,
                        listings));
            }
        } catch (IOException e) {
            throw failure("listing the source " + sourceName, e);
        }
        refuseCommitlogCollisions(layouts, plans);
        Instant createdAt = clock.instant();
        Path dir = createCloneDirectory(runId);
        try {
            makeLayout(dir);
            new CloneMarker(CloneMarker.FORMAT, runId, sourceName, createdAt, null, false,
                    "copying " + sourceName, null).writeTo(dir);
            NodeCopy first = plans.get(0);
            Optional<Path> sampleToLink = plans.stream().map(NodeCopy::sampleToLink).flatMap(Optional::stream)
                    .findFirst();
            Optional<LinkProblem> linkProblem = sampleToLink.isPresent()
                    ? FileTransfer.linkProblem(sampleToLink.get(), dir.resolve("data"))
                    : Optional.empty();
            boolean reflink = first.sampleToCopy().map(sample -> reflinks.works(sample, dir)).orElse(false);
            long bytes = plans.stream().mapToLong(p -> p.bytesToCopy(linkProblem.isEmpty())).sum();
            checkSpace(bytes, reflink, linkProblem, layouts.get(0).root());

            Instant dataTakenAt = clock.instant();
            FileTransfer transfer = new FileTransfer(reflink ? "always" : null, observer);
            CopyStats stats = first.copyInto(dir, transfer, startNanos);
            for (int i = 1; i < plans.size(); i++) {
                CopyStats node = plans.get(i).copyInto(new NodeCopy.Destination(dir.resolve(furtherDataDir(i + 1)),
                        dir.resolve("commitlog")), transfer, startNanos);
                stats = sum(stats, node);
            }
            Set<LinkProblem> problems = EnumSet.noneOf(LinkProblem.class);
            linkProblem.ifPresent(problems::add);
            problems.addAll(transfer.linkProblems());
            String description = (layouts.size() > 1 ? layouts.size() + " nodes into one: " : "")
                    + stats.describe() + notes(problems, stats, plans, layouts.get(0).root());
            new CloneMarker(CloneMarker.FORMAT, runId, sourceName, createdAt, dataTakenAt, true,
                    description, stats).writeTo(dir);
            listings.save();
            Clone clone = new Clone(dir.toString(), runId, sourceName, dir.toString(), null,
                    dataTakenAt, description);
            return new LocalClone(clone, stats);
        } catch (StorageException e) {
            throw removePartial(dir, e);
        } catch (IOException e) {
            throw removePartial(dir, failure("copying " + sourceName + " to " + dir, e));
        } catch (RuntimeException | Error e) {
            removePartial(dir, e);
            throw e;
        }
    }

    /** What a further node of a cluster leaves out of the copy: its own node-local keyspace and its schema copy. */
    static final Set<String> FURTHER_NODE_SKIPS = io.snapci.executor.cassandra.CassandraDirectories.FURTHER_NODE_SKIPS;

    /** The data directory of the n-th node (from 2) in a merged copy; the executor finds them by this name. */
    public static String furtherDataDir(int n) {
        return io.snapci.executor.cassandra.CassandraDirectories.furtherDataDir(n);
    }

    /**
     * Commit log segments are named by an id each node takes from its clock at start; two nodes started in the
     * same millisecond could share one. A segment's header repeats its id, so it cannot be renamed: refuse.
     */
    private static void refuseCommitlogCollisions(List<SourceLayout> layouts, List<NodeCopy> plans)
            throws StorageException {
        java.util.Map<String, Path> seen = new java.util.HashMap<>();
        for (int i = 0; i < plans.size(); i++) {
            for (String name : plans.get(i).commitlogNames()) {
                Path earlier = seen.putIfAbsent(name, layouts.get(i).root());
                if (earlier != null) {
                    throw new StorageException(Kind.INVALID_SOURCE, "the commit logs of " + earlier + " and "
                            + layouts.get(i).root() + " both have a segment " + name + ", which one test node cannot"
                            + " replay both of: run `nodetool drain` (or flush and restart) on one of them first");
                }
            }
        }
    }

    private static CopyStats sum(CopyStats a, CopyStats b) {
        return new CopyStats(a.linkedFiles() + b.linkedFiles(), a.linkedBytes() + b.linkedBytes(),
                a.copiedFiles() + b.copiedFiles(), a.copiedBytes() + b.copiedBytes(), a.skipped() + b.skipped(),
                a.reflink() || b.reflink(), a.relists() + b.relists(), Math.max(a.elapsedMillis(), b.elapsedMillis()));
    }

    /** A copy with the layout and nothing in it, for runs on the tests' own fixtures. */
    private LocalClone createEmpty(String runId) throws StorageException {
        Instant now = clock.instant();
        Path dir = createCloneDirectory(runId);
        String description = "empty copy (no source data)";
        try {
            makeLayout(dir);
            new CloneMarker(CloneMarker.FORMAT, runId, null, now, now, true, description, CopyStats.NONE)
                    .writeTo(dir);
        } catch (IOException e) {
            throw removePartial(dir, failure("making the empty copy " + dir, e));
        }
        return new LocalClone(new Clone(dir.toString(), runId, null, dir.toString(), null, now, description),
                CopyStats.NONE);
    }

    @Override
    public void deleteClone(Clone clone) throws StorageException {
        String where = clone == null ? null : clone.path() != null ? clone.path() : clone.id();
        if (where == null) {
            throw new StorageException(Kind.REFUSED, "cannot delete a copy without a path: " + clone);
        }
        Path dir = Path.of(where).toAbsolutePath().normalize();
        Path root = realPath(cloneRoot);
        if (dir.getParent() == null || !realPath(dir.getParent()).equals(root)) {
            throw new StorageException(Kind.REFUSED, "not deleting " + dir + ": it is not a copy in the clone root "
                    + cloneRoot + " (snapci deletes only directories directly inside it)");
        }
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return; // already gone
        }
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            throw new StorageException(Kind.REFUSED, "not deleting " + dir + ": it is a symlink or a file, not a copy"
                    + " snapci made");
        }
        Optional<CloneMarker> marker = CloneMarker.readAny(dir);
        if (marker.isEmpty()) {
            throw new StorageException(Kind.REFUSED, "not deleting " + dir + ": it has no snapci marker ("
                    + CloneMarker.FILE_NAME + "), so snapci did not make it; delete it by hand if it is not needed");
        }
        String markedRun = marker.get().runId();
        if (!markedRun.equals(clone.runId()) || !markedRun.equals(dir.getFileName().toString())) {
            throw new StorageException(Kind.REFUSED, "not deleting " + dir + ": its marker says it was made for run "
                    + markedRun + ", not for run " + clone.runId());
        }
        try {
            CloneDeleter.deleteTree(dir);
        } catch (IOException e) {
            throw failure("deleting the copy " + dir + " (run the deletion again to finish it)", e);
        }
    }

    /** A directory on this machine is bound to nothing else: a next attempt here uses it as it is. */
    @Override
    public void releaseForAnotherNode(Clone clone) {
    }

    @Override
    public List<Clone> listClones() throws StorageException {
        if (!Files.isDirectory(cloneRoot)) {
            return List.of();
        }
        List<Clone> clones = new ArrayList<>();
        try {
            for (Path dir : SourceLayout.children(cloneRoot)) {
                if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                    CloneMarker.readFrom(dir).ifPresent(m -> clones.add(toClone(dir, m)));
                }
            }
        } catch (IOException e) {
            throw failure("listing the copies in " + cloneRoot, e);
        }
        return clones;
    }

    private static Clone toClone(Path dir, CloneMarker m) {
        String description = m.complete() ? m.description()
                : "incomplete copy of " + m.source() + " (interrupted while copying; delete it)";
        Instant taken = m.dataTakenAt() != null ? m.dataTakenAt() : m.createdAt();
        return new Clone(dir.toString(), m.runId(), m.source(), dir.toString(), null, taken, description);
    }

    private static void checkRunId(String runId) throws StorageException {
        if (runId == null || !RUN_ID.matcher(runId).matches()) {
            throw new StorageException(Kind.REFUSED, "run id '" + runId + "' cannot name a copy's directory: use"
                    + " letters, digits, '.', '_' and '-' only, starting with a letter or digit");
        }
    }

    /** Copies must never land inside the source, and the source must not be where copies get deleted. */
    private void refuseOverlap(Path source) throws StorageException {
        Path root = realPath(cloneRoot);
        if (root.startsWith(source)) {
            throw new StorageException(Kind.REFUSED, "the clone root " + cloneRoot + " is inside the source " + source
                    + ": copies would be written into the production data. Choose a clone root (--work-root) outside"
                    + " it, e.g. a sibling directory on the same filesystem");
        }
        if (source.startsWith(root)) {
            throw new StorageException(Kind.REFUSED, "the source " + source + " is inside the clone root " + cloneRoot
                    + ", where snapci creates and deletes copies: move the clone root (--work-root) elsewhere");
        }
    }

    private Path createCloneDirectory(String runId) throws StorageException {
        Path dir = cloneRoot.resolve(runId);
        try {
            Files.createDirectories(cloneRoot);
            Files.createDirectory(dir);
            return dir;
        } catch (FileAlreadyExistsException e) {
            throw new StorageException(Kind.CONFLICT, "a copy for run " + runId + " already exists at " + dir
                    + ": use a new run id, or delete the old copy if nothing uses it any more", e);
        } catch (IOException e) {
            throw failure("creating " + dir, e);
        }
    }

    private static void makeLayout(Path dir) throws IOException {
        for (String sub : LAYOUT) {
            Files.createDirectories(dir.resolve(sub));
        }
    }

    private void checkSpace(long bytesToCopy, boolean reflink, Optional<LinkProblem> linkProblem, Path source)
            throws IOException, StorageException {
        long written = reflink ? 0 : bytesToCopy; // reflinks share blocks until the clone writes them
        long margin = Math.max(MIN_MARGIN, written / 20);
        long free = diskSpace.usableBytes(cloneRoot);
        if (free >= written + margin) {
            return;
        }
        String advice = linkProblem.filter(p -> p == LinkProblem.CROSS_DEVICE).isPresent()
                ? " The clone root is on another filesystem than the source " + source + ", so SSTables would be"
                + " copied instead of hard-linked: a --work-root on the source's filesystem makes the copy cheap."
                : " Free space there (old copies in " + cloneRoot + " can go), or choose a --work-root with more"
                + " room on the source's filesystem.";
        throw new StorageException(Kind.NO_SPACE, "not enough disk space for the copy in " + cloneRoot + ": it needs"
                + " about " + CopyStats.bytes(written + margin) + " (" + CopyStats.bytes(written) + " to copy"
                + (reflink ? " with reflinks" : "") + " + " + CopyStats.bytes(margin) + " to spare) and "
                + CopyStats.bytes(free) + " is free." + advice);
    }

    private String notes(Set<LinkProblem> problems, CopyStats stats, List<NodeCopy> plans, Path source) {
        StringBuilder notes = new StringBuilder();
        if (problems.contains(LinkProblem.CROSS_DEVICE)) {
            notes.append("; the clone root ").append(cloneRoot).append(" is on another filesystem than the source ")
                    .append(source).append(", so SSTables were copied, not hard-linked: a --work-root on the source's"
                            + " filesystem makes copies cheap");
        }
        if (problems.contains(LinkProblem.NOT_PERMITTED)) {
            notes.append("; hard links to the source's files were not permitted (fs.protected_hardlinks: they"
                    + " belong to another user), so they were copied: run snapci as their owner to link them");
        }
        if (stats.relists() > 0) {
            notes.append("; ").append(stats.relists()).append(" table listing(s) repeated because the source"
                    + " changed during the copy (running node)");
        }
        if (plans.stream().anyMatch(p -> !p.hasCommitLog())) {
            notes.append("; no commit log copied (pass the Cassandra home, not its data directory, to include"
                    + " unflushed writes)");
        }
        return notes.toString();
    }

    /** An I/O failure as a message for the person running the job. */
    private StorageException failure(String doing, IOException e) {
        if (FileTransfer.isNoSpace(e)) {
            return new StorageException(Kind.NO_SPACE, "the disk ran out of space " + doing + " (" + e.getMessage()
                    + "): free space on the filesystem of " + cloneRoot + ", or choose a --work-root on the"
                    + " source's filesystem, where SSTables are hard-linked instead of copied", e);
        }
        if (e instanceof AccessDeniedException) {
            return new StorageException(Kind.PERMISSION_DENIED, "permission denied on " + e.getMessage() + " "
                    + doing + ": run snapci as a user that can read the Cassandra data and write " + cloneRoot, e);
        }
        return new StorageException(Kind.INTERNAL, doing + " failed: " + e, e);
    }

    /** Deletes the copy being made (this call created it, so no marker check) and returns the failure to throw. */
    private static <T extends Throwable> T removePartial(Path dir, T failure) {
        try {
            CloneDeleter.deleteTree(dir);
        } catch (IOException | RuntimeException e) {
            failure.addSuppressed(e);
        }
        return failure;
    }

    /** The real path of {@code path}, resolving symlinks in the part that exists (the rest may not exist yet). */
    private static Path realPath(Path path) {
        Path absolute = path.toAbsolutePath().normalize();
        Path existing = absolute;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return absolute;
        }
        try {
            return existing.toRealPath().resolve(existing.relativize(absolute).toString()).normalize();
        } catch (IOException e) {
            return absolute;
        }
    }
}
