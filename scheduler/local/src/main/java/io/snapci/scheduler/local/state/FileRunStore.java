package io.snapci.scheduler.local.state;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.snapci.model.Json;
import io.snapci.model.RunStatus;
import io.snapci.scheduler.core.state.RunStore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Keeps each run as one JSON file in a directory: the embedded default. A save writes a temporary file and renames
 * it over the old one, so a crash mid-save leaves the previous record, never half a record.
 */
public final class FileRunStore implements RunStore {

    private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");

    private final Path dir;
    private final ObjectMapper json = Json.mapper();

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
            json.writeValue(temp.toFile(), run);
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
        Path file = file(runId);
        return Files.isRegularFile(file) ? Optional.of(read(file)) : Optional.empty();
    }

    @Override
    public List<RunStatus> list() {
        List<RunStatus> runs = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            files.filter(f -> f.getFileName().toString().endsWith(".json")).forEach(f -> runs.add(read(f)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list runs in " + dir, e);
        }
        runs.sort(Comparator.comparing(RunStatus::createdAt));
        return runs;
    }

    private Path file(String runId) {
        if (!SAFE_ID.matcher(runId).matches()) {
            throw new IllegalArgumentException("not a valid run id: " + runId);
        }
        return dir.resolve(runId + ".json");
    }

    private RunStatus read(Path file) {
        try {
            return json.readValue(file.toFile(), RunStatus.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read run record " + file, e);
        }
    }
}
