package io.snapci.scheduler.local.storage;

import io.snapci.scheduler.core.storage.StorageException;
import io.snapci.scheduler.core.storage.StorageException.Kind;
import io.snapci.scheduler.local.storage.CassandraFileClassifier.Action;
import io.snapci.scheduler.local.storage.FileTransfer.Outcome;
import io.snapci.scheduler.local.storage.TableListing.Entry;
import io.snapci.scheduler.local.storage.TableListing.Unit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Copies one table directory so that the copy holds a set of SSTables the table really had at one moment, even while
 * a running node compacts it.
 *
 * <p>Compaction writes new SSTables and then deletes the ones it replaced, so between listing a directory and
 * linking its files some may vanish. Keeping an SSTable whose replacement is also copied would be wrong, not just
 * wasteful: a compaction may drop a tombstone together with the data it shadowed, and keeping the old data without
 * the tombstone would bring deleted rows back. So the copy works in rounds: copy every unit of a listing (an SSTable
 * is all or nothing: if a component vanished, the components already placed are removed again), list again, drop
 * from the copy what the source no longer has, add what is new — until a listing taken after a round equals the
 * listing the round copied. A stopped node needs one round and two listings.
 */
final class TableCopier {

    /** Rounds before giving up on a table that keeps changing. */
    static final int MAX_ROUNDS = 5;

    /** What one table's copy took; {@code copied}: the listing the copy was proved to match. */
    record Result(long linkedFiles, long linkedBytes, long copiedFiles, long copiedBytes, int relists,
                  TableListing copied) {

        /** Entries of the table left out of the copy. */
        int skipped() {
            return copied.skipped();
        }
    }

    private record Placed(Path target, Outcome outcome, long size) {
    }

    private record Done(Unit unit, List<Placed> placed) {
    }

    private final CassandraFileClassifier classifier;
    private final FileTransfer transfer;

    TableCopier(CassandraFileClassifier classifier, FileTransfer transfer) {
        this.classifier = classifier;
        this.transfer = transfer;
    }

    /**
     * @param first a listing of {@code sourceTable} taken a moment ago (the space check used it): the first round
     *              copies it
     */
    Result copy(Path sourceTable, Path cloneTable, TableListing first) throws IOException, StorageException {
        Map<String, Done> done = new HashMap<>();
        TableListing listing = first;
        for (int round = 1; ; round++) {
            boolean whole = sync(listing, done, cloneTable);
            TableListing after = TableListing.of(sourceTable, classifier, listing);
            if (whole && after.copiesAlike(listing)) {
                return result(done, after, round - 1);
            }
            if (round == MAX_ROUNDS) {
                throw new StorageException(Kind.UNAVAILABLE, "the table directory " + sourceTable + " kept changing"
                        + " while it was copied (" + MAX_ROUNDS + " listings; compactions on a running node?): retry,"
                        + " pause compactions while runs copy the node (nodetool disableautocompaction), or copy"
                        + " from a stopped node");
            }
            listing = after;
        }
    }

    /** Makes the copy match {@code listing}; {@code false} if some unit could not be copied whole (it vanished). */
    private boolean sync(TableListing listing, Map<String, Done> done, Path cloneTable) throws IOException {
        // What the source no longer has (compacted away) or has changed (a rewritten Statistics.db) leaves the copy.
        for (Iterator<Map.Entry<String, Done>> it = done.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Done> entry = it.next();
            Unit now = listing.units().get(entry.getKey());
            if (now == null || !now.copiesAlike(entry.getValue().unit())) {
                removeAll(entry.getValue().placed());
                it.remove();
            }
        }
        Files.createDirectories(cloneTable);
        for (Path dir : listing.directories()) {
            Files.createDirectories(cloneTable.resolve(dir.toString()));
        }

        boolean whole = true;
        // Links first, unit by unit; the copies of all units are then batched per directory (few cp processes). A
        // TOC whose bytes the filter proof read is written from them: no second read of the source from the disk.
        Map<Unit, List<Placed>> linked = new LinkedHashMap<>();
        Map<Path, List<Path>> copies = new LinkedHashMap<>();
        for (Unit unit : listing.units().values()) {
            if (done.containsKey(unit.key())) {
                continue;
            }
            List<Placed> placed = linkUnit(unit, cloneTable);
            if (placed == null) {
                whole = false;
                continue;
            }
            linked.put(unit, placed);
            Optional<byte[]> toc = unit.tocToWrite();
            for (Entry e : unit.entries()) {
                if (e.action() != Action.COPY) {
                    continue;
                }
                if (toc.isPresent() && Unit.isToc(e)) {
                    transfer.writeCopy(e.source(), target(cloneTable, e), toc.get(), e.modified());
                } else {
                    copies.computeIfAbsent(target(cloneTable, e).getParent(), d -> new ArrayList<>()).add(e.source());
                }
            }
        }
        Set<Path> vanished = new HashSet<>();
        for (Map.Entry<Path, List<Path>> batch : copies.entrySet()) {
            vanished.addAll(transfer.copyInto(batch.getKey(), batch.getValue()));
        }
        for (Map.Entry<Unit, List<Placed>> entry : linked.entrySet()) {
            Unit unit = entry.getKey();
            List<Placed> placed = new ArrayList<>(entry.getValue());
            for (Entry e : unit.entries()) {
                if (e.action() == Action.COPY) {
                    placed.add(new Placed(target(cloneTable, e), Outcome.COPIED, e.size()));
                }
            }
            if (unit.entries().stream().anyMatch(e -> vanished.contains(e.source()))) {
                removeAll(placed);
                whole = false;
            } else {
                done.put(unit.key(), new Done(unit, placed));
            }
        }
        return whole;
    }

    /** Links the unit's LINK files; {@code null} (and nothing left placed) if one of them vanished. */
    private List<Placed> linkUnit(Unit unit, Path cloneTable) throws IOException {
        List<Placed> placed = new ArrayList<>();
        for (Entry e : unit.entries()) {
            if (e.action() != Action.LINK) {
                continue;
            }
            Path target = target(cloneTable, e);
            Outcome outcome = transfer.linkOrCopy(e.source(), e.linkFrom(), target);
            if (outcome == Outcome.VANISHED) {
                removeAll(placed);
                return null;
            }
            placed.add(new Placed(target, outcome, e.size()));
        }
        return placed;
    }

    /** Removes files from the copy. For hard links this unlinks the copy's name only; the source's file stays. */
    private static void removeAll(List<Placed> placed) throws IOException {
        for (Placed p : placed) {
            Files.deleteIfExists(p.target());
        }
    }

    private static Path target(Path cloneTable, Entry e) {
        return cloneTable.resolve(e.relative().toString());
    }

    private static Result result(Map<String, Done> done, TableListing copied, int relists) {
        long linkedFiles = 0;
        long linkedBytes = 0;
        long copiedFiles = 0;
        long copiedBytes = 0;
        for (Done d : done.values()) {
            for (Placed p : d.placed()) {
                if (p.outcome() == Outcome.LINKED) {
                    linkedFiles++;
                    linkedBytes += p.size();
                } else {
                    copiedFiles++;
                    copiedBytes += p.size();
                }
            }
        }
        return new Result(linkedFiles, linkedBytes, copiedFiles, copiedBytes, relists, copied);
    }
}
