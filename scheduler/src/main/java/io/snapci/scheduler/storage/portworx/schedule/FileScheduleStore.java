package io.snapci.scheduler.storage.portworx.schedule;

import io.snapci.model.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * One JSON file per schedule ({@code <dir>/<name>.json}), replaced atomically so that a crash mid-write leaves the
 * previous state, as the file run store does.
 */
public final class FileScheduleStore implements ScheduleStore {

    private final Path dir;

    public FileScheduleStore(Path dir) {
        this.dir = dir;
    }

    @Override
    public void save(ScheduleState state) {
        Path target = dir.resolve(state.schedule().name() + ".json");
        Path temp = dir.resolve(state.schedule().name() + ".json.new");
        try {
            Files.createDirectories(dir);
            Files.write(temp, Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(state));
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save snapshot schedule " + state.schedule().name() + " in " + dir
                    + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void delete(String scheduleName) {
        try {
            Files.deleteIfExists(dir.resolve(scheduleName + ".json"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete snapshot schedule " + scheduleName + " from " + dir, e);
        }
    }

    @Override
    public List<ScheduleState> list() {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<ScheduleState> states = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.json")) {
            for (Path file : files) {
                states.add(Json.mapper().readValue(file.toFile(), ScheduleState.class));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the snapshot schedules in " + dir + ": " + e.getMessage()
                    + " (fix or remove the broken file)", e);
        }
        states.sort(Comparator.comparing(s -> s.schedule().name()));
        return states;
    }
}
