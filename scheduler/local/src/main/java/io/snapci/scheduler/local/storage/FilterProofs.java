package io.snapci.scheduler.local.storage;

import io.snapci.scheduler.local.storage.CassandraFileClassifier.SSTableComponent;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs {@link FilterSharing}'s proof for the SSTables of one table listing at once. Each proof is three small reads
 * of three files; from a cold page cache they wait on the disk one after the other, and a disk serves several at a
 * time: on this machine (2 cores, virtio disk, nothing else running) the 1,024 SSTables of a 10 GB table of 10 MB
 * SSTables took 360–550 ms to prove one by one and 100–170 ms from 16 threads (docs/benchmarks.md). The threads
 * belong to one call: named, daemons, and stopped before it returns. A proof that fails or is interrupted says
 * "copy", which is always safe. SSTables whose verdict is known from an earlier listing are not proved again
 * ({@link KnownVerdicts}).
 */
final class FilterProofs {

    /** One SSTable to prove: its name and the three files the proof reads. */
    record Candidate(SSTableComponent sstable, Path filter, Path statistics, Path toc) {
    }

    /** Below this many SSTables the proofs run on the caller's thread: starting threads would cost more. */
    static final int CONCURRENT_FROM = 8;
    /** Enough reads in flight for a disk's queue; more threads only cost memory. */
    static final int MAX_THREADS = 16;

    private static final AtomicInteger POOLS = new AtomicInteger();

    private FilterProofs() {
    }

    /** For each candidate, in order, whether its filter may be linked (and the TOC's bytes the proof read). */
    static List<FilterSharing.Proof> decide(FilterSharing sharing, List<Candidate> candidates) {
        if (candidates.size() < CONCURRENT_FROM) {
            return candidates.stream().map(c -> prove(sharing, c)).toList();
        }
        int threads = Math.min(MAX_THREADS, (candidates.size() + 3) / 4);
        int pool = POOLS.incrementAndGet();
        AtomicInteger thread = new AtomicInteger();
        ExecutorService executor = Executors.newFixedThreadPool(threads, task -> {
            Thread t = new Thread(task, "snapci-filter-proof-" + pool + "-" + thread.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<FilterSharing.Proof>> proofs = new ArrayList<>();
            for (Candidate candidate : candidates) {
                proofs.add(executor.submit(() -> prove(sharing, candidate)));
            }
            List<FilterSharing.Proof> verdicts = new ArrayList<>();
            for (Future<FilterSharing.Proof> proof : proofs) {
                verdicts.add(verdict(proof));
            }
            return verdicts;
        } finally {
            executor.shutdownNow();
        }
    }

    private static FilterSharing.Proof prove(FilterSharing sharing, Candidate c) {
        return sharing.prove(c.sstable(), c.filter(), c.statistics(), c.toc());
    }

    private static FilterSharing.Proof verdict(Future<FilterSharing.Proof> proof) {
        if (Thread.currentThread().isInterrupted()) {
            return FilterSharing.Proof.COPY_UNREAD;
        }
        try {
            return proof.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the copy is being cancelled: the rest is copied, never linked
            return FilterSharing.Proof.COPY_UNREAD;
        } catch (ExecutionException e) {
            return FilterSharing.Proof.COPY_UNREAD;
        }
    }
}
