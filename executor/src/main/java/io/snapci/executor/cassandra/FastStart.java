package io.snapci.executor.cassandra;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What a throwaway copy's node skips of a production node's start, each setting kept only because it cannot change
 * what a query returns (docs/fast-start.md says why for each). Off ({@code fastStart: false}, {@code snapci run
 * --no-fast-start}), the node starts as it always did.
 */
final class FastStart {

    /**
     * SkipListMemtable's per-row heap overhead, measured with Cassandra 5.0.6 on OpenJDK 17 (180 with SerialGC,
     * 181 with G1). Without it Cassandra estimates it at start by building a throwaway memtable (~0.9 s). It only
     * sizes memtables for flushing, so a different value changes when a memtable flushes, never what a read sees.
     */
    static final int ROW_OVERHEAD_BYTES = 180;

    /** JVM flags: the garbage collector and compiler replace the G1 and tiered defaults of the normal start. */
    static final List<String> JVM_FLAGS = List.of(
            // One young-collection thread and no concurrent marking threads: cheaper to start on 2 cores and a
            // sub-GB heap than G1, which sizes its regions, remembered sets and workers first.
            "-XX:+UseSerialGC",
            // C1 only: compiles soon and cheaply; the cost is peak speed in long suites (docs/fast-start.md).
            "-XX:TieredStopAtLevel=1");

    /** Cassandra system properties (names as in 5.0's CassandraRelevantProperties). */
    static final List<String> CASSANDRA_PROPERTIES = List.of(
            "-Dcassandra.memtable.row_overhead_size=" + ROW_OVERHEAD_BYTES,
            // No fsync (SyncUtil): commit log and sstable writes reach the page cache as before, so a read sees
            // them as before; only a machine crash could lose them, and a crashed copy is thrown away anyway.
            "-Dcassandra.skip_sync=true",
            // System keyspace changes are not flushed at once (the ~20 blocking flushes that create system_auth,
            // system_distributed and system_traces on an empty node): they stay in memtables and the commit log,
            // where reads find them.
            "-Dcassandra.unsafesystem=true",
            // No compaction starts at boot: compaction rewrites sstables into equal data, it never changes what a
            // read returns; explicit compaction (nodetool compact) still works.
            "-Dcassandra.autocompaction_on_startup_enabled=false");

    private FastStart() {
    }

    /**
     * What goes before the node's command line so that it does not lock its memory. Cassandra calls
     * {@code mlockall(MCL_CURRENT)} unconditionally; as root (CAP_IPC_LOCK) that succeeds and faults in the whole
     * heap (~0.25 s for 768 MB). Dropping the capability from the node's bounding set makes the call fail with
     * ENOMEM at once, which Cassandra logs as a warning: locking only keeps pages out of swap. Run as anyone
     * else (or switched to the copy's owner), or without CAP_IPC_LOCK, the call fails the same way already, so
     * nothing is added; without CAP_SETPCAP the capability cannot be dropped, and the node locks as before.
     */
    static List<String> noMemoryLockPrefix(boolean switchingUser) {
        long capabilities = effectiveCapabilities();
        boolean canLock = (capabilities & (1L << CAP_IPC_LOCK)) != 0;
        boolean canDrop = (capabilities & (1L << CAP_SETPCAP)) != 0;
        if (switchingUser || DataOwner.currentUid() != 0 || !canLock || !canDrop || !Files.isExecutable(SETPRIV)) {
            return List.of();
        }
        return List.of(SETPRIV.toString(), "--inh-caps=-ipc_lock", "--bounding-set=-ipc_lock", "--");
    }

    private static final Path SETPRIV = Path.of("/usr/bin/setpriv");
    /** Capability numbers of linux/capability.h. */
    private static final int CAP_SETPCAP = 8;
    private static final int CAP_IPC_LOCK = 14;

    /** This process's effective capabilities ({@code CapEff} of /proc/self/status); 0 when unknown. */
    static long effectiveCapabilities() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("CapEff:")) {
                    return Long.parseUnsignedLong(line.substring("CapEff:".length()).strip(), 16);
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux, or no procfs: add nothing
        }
        return 0;
    }
}
