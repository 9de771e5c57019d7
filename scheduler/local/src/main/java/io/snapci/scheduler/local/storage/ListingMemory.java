package io.snapci.scheduler.local.storage;

import io.snapci.scheduler.local.storage.TableListing.Entry;
import io.snapci.scheduler.local.storage.TableListing.Unit;

import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the copies made by one driver learnt about each source table, so that the next copy of the same source (every
 * CI run copies the same production node) proves only the SSTables that are new since: an SSTable listed again with
 * the same file names, sizes, modification times and inodes keeps its filter verdict ({@link TableListing#of(Path,
 * CassandraFileClassifier, TableListing)}), instead of its three files being read again from a cold disk.
 *
 * <p>Why that is sound: an SSTable's files are written once. The exceptions change what the listing sees: Cassandra
 * rewrites {@code Filter.db} and {@code TOC.txt} in place (a new modification time), and replaces
 * {@code Statistics.db} by a rename (a new inode). A file changed within the resolution of its modification time
 * could keep it (the kernel stamps times from a clock that ticks every few milliseconds), so, as git does for its
 * "racily clean" index entries, an SSTable with a file modified less than {@link #SETTLED} before the listing began is
 * not remembered: the next copy proves it again.
 *
 * <p>Bounded: the latest listing of each table directory, at most {@code maxUnits} SSTables and other files in all
 * (a few kB each), the least recently copied tables forgotten first. Safe to share between copies running at once.
 */
final class ListingMemory {

    /** Remembers nothing: every copy proves every SSTable. */
    static final ListingMemory NONE = new ListingMemory(0);

    /** How long before a listing an SSTable's files must have last changed for its verdict to be kept. */
    static final Duration SETTLED = Duration.ofSeconds(2);

    private final int maxUnits;
    private final Map<Path, TableListing> byTable;
    private int units;

    ListingMemory(int maxUnits) {
        this.maxUnits = maxUnits;
        this.byTable = new LinkedHashMap<>(16, 0.75f, true);
    }

    /** The remembered listing of {@code tableDir}, or an empty one. */
    synchronized TableListing recall(Path tableDir) {
        TableListing listing = byTable.get(tableDir);
        return listing != null ? listing : TableListing.empty();
    }

    /** Keeps the settled SSTables of {@code listing}, a listing of {@code tableDir} a copy has just used. */
    synchronized void remember(Path tableDir, TableListing listing) {
        Map<String, Unit> settled = new LinkedHashMap<>();
        listing.units().forEach((key, unit) -> {
            if (settled(unit)) {
                settled.put(key, unit);
            }
        });
        forget(tableDir);
        if (settled.isEmpty() || settled.size() > maxUnits) {
            return;
        }
        byTable.put(tableDir, new TableListing(settled, listing.directories(), listing.skipped()));
        units += settled.size();
        while (units > maxUnits) {
            forget(byTable.keySet().iterator().next());
        }
    }

    /** Whether every file of the unit had last changed {@link #SETTLED} before the listing that decided it. */
    private static boolean settled(Unit unit) {
        FileTime before = FileTime.from(unit.listedAt().toInstant().minus(SETTLED));
        return unit.entries().stream().map(Entry::modified).allMatch(modified -> modified.compareTo(before) < 0);
    }

    private void forget(Path tableDir) {
        TableListing gone = byTable.remove(tableDir);
        if (gone != null) {
            units -= gone.units().size();
        }
    }

    /** How many SSTables and other files are remembered. */
    synchronized int units() {
        return units;
    }
}
