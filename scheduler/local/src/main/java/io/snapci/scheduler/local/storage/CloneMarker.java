package io.snapci.scheduler.local.storage;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import io.snapci.model.Json;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Optional;

/**
 * The file {@code <cloneRoot>/<runId>/snapci-clone.json} that proves a directory is a copy this driver made. The
 * driver deletes nothing without it, and {@code listClones} finds copies left behind by a crash through it.
 *
 * <p>It is written first, with {@code complete=false}, as soon as the clone directory exists (so a copy interrupted
 * by a crash can still be found and deleted), and rewritten with the numbers when the copy is done.
 *
 * @param format      the marker's own version
 * @param runId       the run the copy was made for; must equal the directory's name
 * @param source      the source directory, or {@code null} for an empty copy
 * @param createdAt   when the clone directory was made
 * @param dataTakenAt when copying started
 * @param complete    whether the copy finished
 * @param description how it was made, as in {@link io.snapci.scheduler.core.storage.Clone#description()}
 * @param stats       the numbers, when complete
 */
public record CloneMarker(int format, String runId, String source, Instant createdAt, Instant dataTakenAt,
                          boolean complete, String description, CopyStats stats) {

    /** The file the executor also checks before it boots on a directory: one name for both. */
    public static final String FILE_NAME = io.snapci.executor.cassandra.CassandraDirectories.CLONE_MARKER;
    public static final int FORMAT = 1;

    /** Newer versions may add fields: reading tolerates them. */
    private static final ObjectReader READER = Json.mapper().readerFor(CloneMarker.class)
            .without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** Writes the marker into the clone directory, replacing it atomically so a reader never sees half of one. */
    public void writeTo(Path cloneDir) throws IOException {
        Path target = cloneDir.resolve(FILE_NAME);
        Path temp = cloneDir.resolve(FILE_NAME + ".new");
        Files.write(temp, Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(this));
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * The marker of a directory, if it has a readable one that names the directory: a regular file (not a symlink,
     * which could point anywhere) whose runId is the directory's name. Anything else is "not ours".
     */
    public static Optional<CloneMarker> readFrom(Path cloneDir) {
        return readAny(cloneDir).filter(m -> m.runId().equals(String.valueOf(cloneDir.getFileName())));
    }

    /** The marker file of a directory if there is a readable one with a runId, whatever run it names. */
    static Optional<CloneMarker> readAny(Path cloneDir) {
        Path file = cloneDir.resolve(FILE_NAME);
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        try {
            CloneMarker marker = READER.readValue(file.toFile());
            return marker == null || marker.runId() == null ? Optional.empty() : Optional.of(marker);
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
