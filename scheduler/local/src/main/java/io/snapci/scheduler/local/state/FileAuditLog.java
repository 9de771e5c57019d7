package io.snapci.scheduler.local.state;

import io.snapci.scheduler.core.audit.AuditEntry;
import io.snapci.scheduler.core.audit.AuditFailure;
import io.snapci.scheduler.core.audit.AuditLog;
import io.snapci.scheduler.core.audit.AuditQuery;
import io.snapci.scheduler.core.state.StoredRecords;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The audit log on one machine: one JSON record a line ({@link StoredRecords}, so versioned and read leniently) in
 * {@code <dir>/audit.jsonl}. An append opens the file in append mode and forces the line to disk before it returns,
 * so a crash loses no acknowledged entry; a line torn by a crash mid-write (no newline, or not JSON) is skipped
 * when read rather than making the whole log unreadable.
 *
 * <p>Pruning is the one write that is not an append: the kept lines go to a new file that replaces the old one in
 * one atomic rename, so a reader sees the log before or after the prune, never half of it. One process owns a work
 * root (serve's locks), and this object serialises its own writers.
 */
public final class FileAuditLog implements AuditLog {

    private static final System.Logger LOG = System.getLogger(FileAuditLog.class.getName());
    static final String FILE_NAME = "audit.jsonl";

    private final Path file;

    public FileAuditLog(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new AuditFailure("cannot create the audit directory " + dir + ": " + e.getMessage(), e);
        }
        this.file = dir.resolve(FILE_NAME);
    }

    @Override
    public synchronized void append(AuditEntry entry) {
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            byte[] json = StoredRecords.write(entry);
            // After a torn line the new entry starts a line of its own, so the tear costs that line only.
            boolean torn = endsTorn(file);
            ByteBuffer line = ByteBuffer.allocate(json.length + 2);
            if (torn) {
                line.put((byte) '\n');
            }
            line.put(json).put((byte) '\n').flip();
            while (line.hasRemaining()) {
                out.write(line);
            }
            out.force(false);
        } catch (IOException e) {
            throw new AuditFailure("cannot append to the audit log " + file + ": " + e.getMessage(), e);
        }
    }

    private static boolean endsTorn(Path file) throws IOException {
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = in.size();
            if (size == 0) {
                return false;
            }
            ByteBuffer last = ByteBuffer.allocate(1);
            in.read(last, size - 1);
            return last.get(0) != '\n';
        }
    }

    @Override
    public synchronized List<AuditEntry> query(AuditQuery query) {
        List<AuditEntry> matching = readAll().stream().filter(query::matches).toList();
        return List.copyOf(matching.subList(Math.max(0, matching.size() - query.limit()), matching.size()));
    }

    @Override
    public synchronized int pruneBefore(Instant cutoff) {
        List<String> lines = lines();
        List<String> kept = new ArrayList<>();
        int removed = 0;
        for (String line : lines) {
            AuditEntry entry = parse(line);
            if (entry != null && entry.at().isBefore(cutoff)) {
                removed++;
            } else if (entry != null) {
                kept.add(line);
            }
        }
        if (removed == 0) {
            return 0;
        }
        Path next = file.resolveSibling(FILE_NAME + ".pruning");
        try {
            Files.write(next, kept.isEmpty() ? List.of() : kept, StandardCharsets.UTF_8);
            try (FileChannel sync = FileChannel.open(next, StandardOpenOption.WRITE)) {
                sync.force(true);
            }
            try {
                Files.move(next, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(next, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new AuditFailure("cannot prune the audit log " + file + ": " + e.getMessage(), e);
        }
        return removed;
    }

    private List<AuditEntry> readAll() {
        List<AuditEntry> entries = new ArrayList<>();
        for (String line : lines()) {
            AuditEntry entry = parse(line);
            if (entry != null) {
                entries.add(entry);
            }
        }
        return entries;
    }

    private List<String> lines() {
        if (!Files.exists(file)) {
            return List.of();
        }
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank()).toList();
        } catch (IOException e) {
            throw new AuditFailure("cannot read the audit log " + file + ": " + e.getMessage(), e);
        }
    }

    private AuditEntry parse(String line) {
        try {
            return StoredRecords.read(line.getBytes(StandardCharsets.UTF_8), AuditEntry.class);
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "skipped an unreadable line of the audit log " + file + ": "
                    + e.getMessage());
            return null;
        }
    }
}
