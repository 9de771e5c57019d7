package io.snapci.tests.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/**
 * Used heap after the collector has had every chance to free what is unreachable: the difference of two readings
 * is what the objects held in between retain. Several collections with pauses, because one {@code System.gc()} may
 * leave finalizable or softly reachable garbage and G1 may not compact everything in one go.
 */
final class HeapMeter {

    private static final int COLLECTIONS = 5;

    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();

    long usedAfterGc() throws InterruptedException {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < COLLECTIONS; i++) {
            memory.gc();
            Thread.sleep(100);
            used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
