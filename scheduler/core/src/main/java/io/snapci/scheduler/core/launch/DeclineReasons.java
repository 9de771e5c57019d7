package io.snapci.scheduler.core.launch;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The recent reasons offers were declined (a bounded ring: the oldest entry goes when it is full) and a count per
 * reason kind since start, for a debug endpoint and an "offers declined by reason" metric. Thread-safe: the
 * evaluator records from the event thread, the endpoints read from theirs.
 */
public final class DeclineReasons {

    /**
     * @param kind   a low-cardinality label ({@code mem}, {@code attribute}, {@code maintenance},
     *               {@code no-run-waiting}, ...), as counted
     * @param reason the full sentence, agent included
     */
    public record Entry(Instant time, String offerId, String agentId, String hostname, String stage, String kind,
                        String reason) {
    }

    /** @param recent oldest first */
    public record Snapshot(List<Entry> recent, Map<String, Long> countsByKind, long total) {
    }

    public static final int DEFAULT_CAPACITY = 1000;

    private final Entry[] ring;
    private int next;
    private int size;
    private long total;
    private final Map<String, Long> counts = new TreeMap<>();

    public DeclineReasons(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, got " + capacity);
        }
        this.ring = new Entry[capacity];
    }

    public synchronized void record(Entry entry) {
        ring[next] = entry;
        next = (next + 1) % ring.length;
        size = Math.min(size + 1, ring.length);
        total++;
        counts.merge(entry.kind(), 1L, Long::sum);
    }

    public synchronized Snapshot snapshot() {
        List<Entry> recent = new ArrayList<>(size);
        int oldest = (next - size + ring.length) % ring.length;
        for (int i = 0; i < size; i++) {
            recent.add(ring[(oldest + i) % ring.length]);
        }
        return new Snapshot(List.copyOf(recent), Map.copyOf(counts), total);
    }

    public int capacity() {
        return ring.length;
    }
}
