package io.snapci.scheduler.local.state;

import io.snapci.model.RunStatus;
import io.snapci.scheduler.core.state.NewerSchemaException;
import io.snapci.scheduler.core.state.RunPage;
import io.snapci.scheduler.core.state.RunPages;
import io.snapci.scheduler.core.state.RunStore;
import io.snapci.scheduler.core.state.StoredRecords;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Keeps each run as one JSON file in a directory: the embedded default. A save writes a temporary file and renames
 * it over the old one, so a crash mid-save leaves the previous record, never half a record.
 *
 * <p>Records are {@link StoredRecords}: versioned, and read leniently, so a rollback reads what a newer snapci
 * wrote. A record of a newer major version is left as it is: not listed or paged (nothing resumes or deletes it),
 * and {@link #find} of it says to upgrade. Pages are read from the file names, newest first, so a page of 100 runs
 * reads about 100 records however many the directory holds.
 */
public final class FileRunStore implements RunStore {

    private static final System.Logger LOG = System.getLogger(FileRunStore.class.getName());
    private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");
    private static final String SUFFIX = ".json";

    private final Path dir;
    private final Set<Path> warned = ConcurrentHashMap.newKeySet();

    public FileRunStore(Path dir) {
        this.dir = dir.toAbsolutePath();
        try {
            Files.createDirectories(this.dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the run store directory " + this.dir, e);
        }
    }

    @Override
    public synchronized void save(RunStatus run) {
        Path target = file(run.id());
        Path temp = dir.resolve("." + run.id() + ".tmp");
        try {
            Files.write(temp, StoredRecords.write(run));
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save run " + run.id() + " to " + target, e);
        }
    }

    @Override
    public Optional<RunStatus> find(String runId) {
        if (!SAFE_ID.matcher(runId).matches()) {
            return Optional.empty();
        }
        try {
            return read(file(runId));
        } catch (IOException e) {
            throw unreadable(file(runId), e);
        }
    }

    @Override
    public List<RunStatus> list() {
        List<RunStatus> runs = new ArrayList<>();
        for (String id : ids()) {
            readListed(id).ifPresent(runs::add);
        }
        runs.sort(Comparator.comparing(RunStatus::createdAt));
        return runs;
    }

    @Override
    public RunPage page(String after, int limit, Predicate<RunStatus> filter) {
        return RunPages.page(ids(), after, limit, filter, batch -> {
            Map<String, RunStatus> runs = new HashMap<>();
            batch.forEach(id -> readListed(id).ifPresent(run -> runs.put(id, run)));
            return runs;
        });
    }

    @Override
    public synchronized boolean delete(String runId) {
        Optional<RunStatus> run = find(runId);
        if (run.isEmpty()) {
            return false;
        }
        if (!run.get().phase().isTerminal()) {
            throw new IllegalStateException("run " + runId + " is " + run.get().phase() + " and has not ended: its "
                    + "record is kept");
        }
        try {
            return Files.deleteIfExists(file(runId));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete run record " + file(runId), e);
        }
    }

    /** The ids of every record file; temporary files of a save in progress start with a dot and are not ids. */
    private List<String> ids() {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).filter(name -> name.endsWith(SUFFIX))
                    .map(name -> name.substring(0, name.length() - SUFFIX.length()))
                    .filter(id -> SAFE_ID.matcher(id).matches()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list runs in " + dir, e);
        }
    }

    /**
     * A listed run: one deleted since the directory was listed is left out, and so is one a newer major version
     * wrote (with a warning); any other unreadable record fails the listing, as it always has here.
     */
    private Optional<RunStatus> readListed(String id) {
        Path file = file(id);
        try {
            return read(file);
        } catch (NewerSchemaException e) {
            if (warned.add(file)) {   // once: the web UI lists runs every 2 s
                LOG.log(System.Logger.Level.WARNING, "left out of the run list: the run record " + file + ": "
                        + e.getMessage());
            }
            return Optional.empty();
        } catch (IOException e) {
            throw unreadable(file, e);
        }
    }

    private Path file(String runId) {
        if (!SAFE_ID.matcher(runId).matches()) {
            throw new IllegalArgumentException("not a valid run id: " + runId);
        }
        return dir.resolve(runId + SUFFIX);
    }

    private static Optional<RunStatus> read(Path file) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        return Optional.of(StoredRecords.readRun(bytes));
    }

    private static UncheckedIOException unreadable(Path file, IOException e) {
        return new UncheckedIOException("cannot read run record " + file + ": " + e.getMessage(), e);
    }
}
