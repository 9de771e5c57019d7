package io.snapci.executor.cassandra;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** The last lines of a log file, read from its end so a large log costs nothing. */
public final class LogTail {

    private static final int MAX_BYTES = 64 * 1024;

    private LogTail() {
    }

    /**
     * The last {@code count} lines, or, when the last ERROR entry (logback's {@code ERROR [thread]} lines) lies
     * further back, up to {@code max} lines from it: a node that fails to start logs its reason and then a long
     * stack trace and shutdown lines, and the reason is the one line a reader needs.
     */
    public static List<String> fromLastError(Path file, int count, int max) {
        List<String> all = lines(file, Integer.MAX_VALUE);
        int start = Math.max(0, all.size() - count);
        for (int i = all.size() - 1; i >= 0; i--) {
            if (all.get(i).startsWith("ERROR ")) {
                start = Math.min(start, i);
                break;
            }
        }
        return all.subList(start, Math.min(all.size(), start + max));
    }

    public static List<String> lines(Path file, int count) {
        if (!Files.isRegularFile(file)) {
            return List.of();
        }
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            long length = raf.length();
            int size = (int) Math.min(length, MAX_BYTES);
            byte[] bytes = new byte[size];
            raf.seek(length - size);
            raf.readFully(bytes);
            List<String> all = Arrays.asList(new String(bytes, StandardCharsets.UTF_8).split("\\R"));
            return all.subList(Math.max(0, all.size() - count), all.size());
        } catch (IOException e) {
            return List.of("(could not read " + file + ": " + e.getMessage() + ")");
        }
    }
}
