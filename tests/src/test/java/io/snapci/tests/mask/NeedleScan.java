package io.snapci.tests.mask;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Which of many values (hundreds of originals) stand anywhere in many bytes (an agent's sandboxes, a copy with
 * its commit log segments: hundreds of MB), in one pass over the bytes: every window of the needles' common prefix
 * length is looked up among the needles' prefixes (a bit filter first, then an exact map), and only a match is
 * compared in full. Looking for each value in turn took minutes per scan.
 */
public final class NeedleScan {

    private static final int MAX_WINDOW = 8;
    private static final int FILTER_BITS = 22;

    private final int window;
    private final long windowMask;
    private final long[] filter = new long[1 << (FILTER_BITS - 6)];
    private final Map<Long, List<byte[]>> byPrefix = new HashMap<>();
    private final Map<byte[], String> names = new java.util.IdentityHashMap<>();

    public NeedleScan(List<String> needles) {
        if (needles.isEmpty()) {
            throw new IllegalArgumentException("nothing to look for");
        }
        int shortest = needles.stream().mapToInt(n -> n.getBytes(StandardCharsets.UTF_8).length).min().orElseThrow();
        if (shortest == 0) {
            throw new IllegalArgumentException("an empty value stands everywhere");
        }
        window = Math.min(MAX_WINDOW, shortest);
        windowMask = window == 8 ? -1L : (1L << (8 * window)) - 1;
        for (String needle : needles) {
            byte[] bytes = needle.getBytes(StandardCharsets.UTF_8);
            long prefix = pack(bytes, 0);
            byPrefix.computeIfAbsent(prefix, p -> new ArrayList<>()).add(bytes);
            names.put(bytes, needle);
            int bit = slot(prefix);
            filter[bit >>> 6] |= 1L << bit;
        }
    }

    /** The needles {@code bytes} holds, in the order first seen. */
    public Set<String> foundIn(byte[] bytes) {
        Set<String> found = new LinkedHashSet<>();
        long current = 0;
        for (int i = 0; i < bytes.length; i++) {
            current = ((current << 8) | (bytes[i] & 0xFF)) & windowMask;
            if (i + 1 < window) {
                continue;
            }
            int bit = slot(current);
            if ((filter[bit >>> 6] & (1L << bit)) == 0) {
                continue;
            }
            List<byte[]> candidates = byPrefix.get(current);
            if (candidates == null) {
                continue;
            }
            int start = i + 1 - window;
            for (byte[] needle : candidates) {
                if (matchesAt(bytes, start, needle)) {
                    found.add(names.get(needle));
                }
            }
        }
        return found;
    }

    /** Each needle a regular file under {@code root} holds, as "needle in file". */
    public List<String> foundUnder(Path root) throws IOException {
        List<String> hits = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                for (String needle : foundIn(Files.readAllBytes(file))) {
                    hits.add(needle + " in " + file);
                }
            }
        }
        return hits;
    }

    private long pack(byte[] bytes, int from) {
        long packed = 0;
        for (int i = from; i < from + window; i++) {
            packed = (packed << 8) | (bytes[i] & 0xFF);
        }
        return packed;
    }

    private static int slot(long packed) {
        return (int) ((packed * 0x9E3779B97F4A7C15L) >>> (64 - FILTER_BITS));
    }

    private static boolean matchesAt(byte[] haystack, int start, byte[] needle) {
        if (start + needle.length > haystack.length) {
            return false;
        }
        for (int j = 0; j < needle.length; j++) {
            if (haystack[start + j] != needle[j]) {
                return false;
            }
        }
        return true;
    }
}
