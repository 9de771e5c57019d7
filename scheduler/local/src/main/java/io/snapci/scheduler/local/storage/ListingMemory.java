package io.snapci.scheduler.local.storage;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.snapci.model.Json;
import io.snapci.scheduler.local.storage.TableListing.Entry;
import io.snapci.scheduler.local.storage.TableListing.Unit;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What the copies made into one clone root learnt about each source table, so that the next copy of the same source
 * (every CI run copies the same production node) proves only the SSTables that are new since: an SSTable listed
 * again whose files have the same paths, sizes, modification times and inodes ({@link KnownVerdicts#filesState})
 * keeps its filter verdict, instead of its three files being read again from a cold disk. Kept in memory for a
 * {@code snapci serve}, and in a file of the work root for the next {@code snapci run} process ({@link #savedIn}).
 *
 * <p>Why that is sound: an SSTable's files are written once. The exceptions change what the listing sees: Cassandra
 * rewrites {@code Filter.db} and {@code TOC.txt} in place (a new modification time), and replaces
 * {@code Statistics.db} by a rename (a new inode). A file changed within the resolution of its modification time
 * could keep it (the kernel stamps times from a clock that ticks every few milliseconds; some filesystems keep
 * seconds), so, as git does for its "racily clean" index entries, an SSTable with a file modified less than
 * {@link #SETTLED} before the listing that proved it is not remembered: the next copy proves it again. A verdict holds
 * for the Cassandra release whose loading code decided it ({@link FilterSharing}): a file saved for another release,
 * or in another format, is not read.
 *
 * <p>Bounded: at most {@code maxUnits} SSTables in all (about 150 bytes each), the least recently copied tables
 * forgotten first. Safe to share between copies running at once; two processes saving at once lose only each other's
 * additions (the file is replaced whole, atomically).
 */
final class ListingMemory {

    /** Remembers nothing: every copy proves every SSTable. */
    static final ListingMemory NONE = new ListingMemory(0, null, null);

    /** How long before a listing an SSTable's files must have last changed for its verdict to be kept. */
    static final Duration SETTLED = Duration.ofSeconds(2);

    /**
     * Raised when what a verdict means changes (FilterSharing's rules, this file's shape): older files are unread.
     * 2: the TOC's bytes are kept with the verdict.
     */
    static final int FORMAT = 2;

    /**
     * One SSTable's verdict: the state of its files when it was decided, the verdict, when, and the bytes of its TOC
     * as the proof read them (Base64; {@code null} if it did not), which the next copy writes its TOC from.
     */
    record Remembered(String files, boolean linked, long decidedAtMillis, String toc) {
    }

    /** The file's content. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Saved(int format, String release, Map<String, Map<String, Remembered>> tables) {
    }

    private final int maxUnits;
    private final Path file;
    private final String release;
    private final Map<Path, Map<String, Remembered>> byTable = new LinkedHashMap<>(16, 0.75f, true);
    private int units;
    private boolean changed;

    ListingMemory(int maxUnits) {
        this(maxUnits, null, null);
    }

    private ListingMemory(int maxUnits, Path file, String release) {
        this.maxUnits = maxUnits;
        this.file = file;
        this.release = release;
    }

    /**
     * A memory kept in {@code file} as well, for verdicts of Cassandra {@code release}: what an earlier process saved
     * there is read now (a missing, damaged, foreign or other release's file is an empty memory).
     */
    static ListingMemory savedIn(Path file, String release, int maxUnits) {
        ListingMemory memory = new ListingMemory(maxUnits, file, release);
        memory.load();
        return memory;
    }

    /** What is remembered of {@code tableDir}'s SSTables. */
    synchronized KnownVerdicts recall(Path tableDir) {
        Map<String, Remembered> table = byTable.get(tableDir);
        if (table == null) {
            return KnownVerdicts.NONE;
        }
        Map<String, Remembered> known = Map.copyOf(table);
        return (key, files) -> {
            Remembered r = known.get(key);
            if (r == null || files == null || !files.equals(r.files())) {
                return Optional.empty();
            }
            return Optional.of(new KnownVerdicts.Verdict(r.linked(), FileTime.fromMillis(r.decidedAtMillis()),
                    r.toc() == null ? null : Base64.getDecoder().decode(r.toc())));
        };
    }

    /** Keeps the settled SSTables' verdicts of {@code listing}, a listing of {@code tableDir} a copy has just used. */
    synchronized void remember(Path tableDir, TableListing listing) {
        if (maxUnits == 0) {
            return;
        }
        Map<String, Remembered> settled = new LinkedHashMap<>();
        listing.units().forEach((key, unit) -> {
            if (unit.filesState() != null && settled(unit)) {
                settled.put(key, new Remembered(unit.filesState(), unit.filterLinked(), unit.listedAt().toMillis(),
                        unit.toc() == null ? null : Base64.getEncoder().encodeToString(unit.toc())));
            }
        });
        Map<String, Remembered> before = byTable.get(tableDir);
        if (settled.equals(before) || (settled.isEmpty() && before == null)) {
            return; // nothing new to know: the file need not be written again
        }
        put(tableDir, settled);
        changed = true;
    }

    /** Writes the memory to its file if it changed; an error only costs the next process the proofs. */
    synchronized void save() {
        if (file == null || !changed) {
            return;
        }
        Map<String, Map<String, Remembered>> tables = new LinkedHashMap<>();
        byTable.forEach((dir, table) -> tables.put(dir.toString(), table));
        Path temp = file.resolveSibling(file.getFileName() + ".new");
        try {
            Files.createDirectories(file.getParent());
            Files.write(temp, Json.mapper().writeValueAsBytes(new Saved(FORMAT, release, tables)));
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            changed = false;
        } catch (IOException e) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException ignored) {
                // the next save replaces it
            }
        }
    }

    /** How many SSTables' verdicts are remembered. */
    synchronized int units() {
        return units;
    }

    private void load() {
        try {
            Saved saved = Json.mapper().readValue(Files.readAllBytes(file), Saved.class);
            if (saved == null || saved.format() != FORMAT || !java.util.Objects.equals(saved.release(), release)
                    || saved.tables() == null) {
                return;
            }
            saved.tables().forEach((dir, table) -> {
                if (table != null && table.values().stream().allMatch(ListingMemory::readable)) {
                    put(Path.of(dir), new LinkedHashMap<>(table));
                }
            });
        } catch (NoSuchFileException e) {
            // no earlier process on this work root
        } catch (IOException | RuntimeException e) {
            byTable.clear(); // damaged or foreign: an empty memory, replaced by the next save
            units = 0;
        }
    }

    /** A remembered verdict a copy can use: it names the files' state, and its TOC (if any) is Base64. */
    private static boolean readable(Remembered r) {
        if (r == null || r.files() == null) {
            return false;
        }
        try {
            if (r.toc() != null) {
                Base64.getDecoder().decode(r.toc());
            }
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private void put(Path tableDir, Map<String, Remembered> table) {
        forget(tableDir);
        if (table.isEmpty() || table.size() > maxUnits) {
            return;
        }
        byTable.put(tableDir, table);
        units += table.size();
        while (units > maxUnits) {
            forget(byTable.keySet().iterator().next());
        }
    }

    private void forget(Path tableDir) {
        Map<String, Remembered> gone = byTable.remove(tableDir);
        if (gone != null) {
            units -= gone.size();
        }
    }

    /** Whether every file of the unit had last changed {@link #SETTLED} before the listing that decided it. */
    private static boolean settled(Unit unit) {
        FileTime before = FileTime.from(unit.listedAt().toInstant().minus(SETTLED));
        return unit.entries().stream().map(Entry::modified).allMatch(modified -> modified.compareTo(before) < 0);
    }
}
