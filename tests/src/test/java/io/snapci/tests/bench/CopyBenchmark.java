package io.snapci.tests.bench;

import io.snapci.model.Source;
import io.snapci.scheduler.core.storage.Clone;
import io.snapci.scheduler.local.storage.CommitLogSegmentFiles;
import io.snapci.scheduler.local.storage.DiskSpace;
import io.snapci.scheduler.local.storage.FilterSharing;
import io.snapci.scheduler.local.storage.LocalDirectoryDriver;
import io.snapci.scheduler.local.storage.SSTableMetadataFiles;
import io.snapci.tests.support.Snapci;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Copy time of the local driver against {@code cp -a}, for data directories of about 10 MB, 100 MB, 1 GB and 10 GB
 * of SSTables. The directories have the shape of a real node's (keyspace/table-id/SSTable components of realistic
 * relative sizes, a commit log segment); the content is random bytes, since copy cost does not depend on it,
 * except the bloom filter, statistics and TOC, which have Cassandra's layout so the copy can prove a filter safe to
 * link ({@code FilterSharing}); each size is also copied a second time by the same driver (which remembers the
 * verdicts of unchanged SSTables: {@code ListingMemory}), by a new driver on the verdicts the first saved (its
 * construction, which reads them, timed too), and with every filter copied, as before that proof. The segment
 * is one as a running node leaves it: created at its full 32 MiB (sparse), holding
 * {@value #SYNCED_COMMIT_LOG_BYTES} bytes of synced writes in Cassandra's layout, of which the copy takes what replay
 * reads ({@code CommitLogPrefix}).
 * SSTables are 10 MB each by default (many small files: the worst case for a copy that costs per file); a second
 * argument sets their size, e.g. 160 for the SSTables leveled compaction writes by default
 * ({@code sstable_size_in_mb}). Last it prints how much each kind of copy grew from the smallest size to the largest
 * (issue 14 asks for at most ×2 from 10 MB to 10 GB). Not a test: run it with
 * {@code bench/run copy [dir] [sstable MB] [sizes in MB...]}.
 */
public final class CopyBenchmark {

    private static final int REPEATS = 3;
    /** Writes synced to the commit log since the last flush: ten syncs of 100 kB. */
    private static final int SYNCED_COMMIT_LOG_BYTES = 10 * 100_000;
    /** One SSTable of about 10 MB: its components and their share of the bytes. */
    private static final String[][] COMPONENTS = {
            {"Data.db", "0.90"}, {"Index.db", "0.07"}, {"Filter.db", "0.01"}, {"Summary.db", "0.005"},
            {"Statistics.db", "0.005"}, {"CompressionInfo.db", "0.005"}, {"Digest.crc32", "0"}, {"TOC.txt", "0"}};

    public static void main(String[] args) throws Exception {
        Path base = Path.of(args.length > 0 ? args[0] : "target/bench-copy").toAbsolutePath();
        int sstableMegabytes = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int[] sizes = args.length > 2
                ? java.util.Arrays.stream(args, 2, args.length).mapToInt(Integer::parseInt).toArray()
                : new int[]{10, 100, 1024, 10240};
        System.out.println("SSTables of " + sstableMegabytes + " MB each");
        boolean cold = dropCaches();
        System.out.println("page cache: "
                + (cold ? "dropped before every copy (cold)" : "warm (cannot drop caches here)"));
        FilterSharing sharing = FilterSharing.forRelease(Snapci.cassandraRuntime().release());
        System.out.println("| SSTable data | files | snapci copy (median of " + REPEATS + ") | how | copied again by"
                + " the same driver | by a new driver on the saved verdicts | filters copied instead"
                + " | cp -a (median) |");
        System.out.println("| --- | --- | --- | --- | --- | --- | --- | --- |");
        List<double[]> medians = new ArrayList<>(); // first, again, next process: per size, in milliseconds
        for (int megabytes : sizes) {
            // "-meta": SSTables whose Filter, Statistics and TOC have Cassandra's layout (FilterSharing reads them)
            Path source = base.resolve("source-" + megabytes + "mb-" + sstableMegabytes + "-meta");
            int files = createDataDirectory(source, megabytes, sstableMegabytes);
            List<Long> snapci = new ArrayList<>();
            List<Long> again = new ArrayList<>();
            List<Long> nextProcess = new ArrayList<>();
            List<Long> filtersCopied = new ArrayList<>();
            List<Long> cp = new ArrayList<>();
            String how = "";
            for (int i = 0; i < REPEATS; i++) {
                // A new driver and verdicts file each round: its first copy proves every SSTable's filter; its
                // second copy of the same source (the next CI run of a serve) proves only what changed since: here
                // nothing; so does a new driver on the verdicts it saved (the next snapci run process).
                Path verdicts = base.resolve("verdicts-" + megabytes + "-" + i + ".json");
                Files.deleteIfExists(verdicts);
                LocalDirectoryDriver driver = new LocalDirectoryDriver(base.resolve("clones"), DiskSpace.fileStores(),
                        Clock.systemUTC(), sharing, verdicts);
                how = timeCopy(driver, "bench-" + megabytes + "-" + i, source, snapci);
                timeCopy(driver, "bench-again-" + megabytes + "-" + i, source, again);
                dropCaches();
                long next = System.nanoTime();
                LocalDirectoryDriver nextDriver = new LocalDirectoryDriver(base.resolve("clones"),
                        DiskSpace.fileStores(), Clock.systemUTC(), sharing, verdicts);
                Clone nextClone = nextDriver.createClone("bench-next-" + megabytes + "-" + i,
                        Source.dataDir(source.toString()));
                nextProcess.add(System.nanoTime() - next);
                nextDriver.deleteClone(nextClone);
                LocalDirectoryDriver copyingFilters = new LocalDirectoryDriver(base.resolve("clones"));
                timeCopy(copyingFilters, "bench-copying-" + megabytes + "-" + i, source, filtersCopied);

                Path target = base.resolve("cp-" + i);
                dropCaches();
                long start = System.nanoTime();
                new ProcessBuilder("cp", "-a", source.toString(), target.toString()).inheritIO().start().waitFor();
                cp.add(System.nanoTime() - start);
                new ProcessBuilder("rm", "-rf", target.toString()).start().waitFor();
            }
            System.out.printf("| %d MB | %d | %.0f ms | %s | %.0f ms | %.0f ms | %.0f ms | %.0f ms |%n", megabytes,
                    files, median(snapci) / 1e6, how, median(again) / 1e6, median(nextProcess) / 1e6,
                    median(filtersCopied) / 1e6, median(cp) / 1e6);
            medians.add(new double[]{median(snapci) / 1e6, median(again) / 1e6, median(nextProcess) / 1e6});
        }
        if (sizes.length > 1) {
            double[] smallest = medians.get(0);
            double[] largest = medians.get(medians.size() - 1);
            System.out.printf("growth from %d MB to %d MB: first copy x%.1f, again x%.1f, next process x%.1f%n",
                    sizes[0], sizes[sizes.length - 1], largest[0] / smallest[0], largest[1] / smallest[1],
                    largest[2] / smallest[2]);
        }
    }

    /** One copy from a cold page cache, timed into {@code times}; returns how it was made. */
    private static String timeCopy(LocalDirectoryDriver driver, String runId, Path source, List<Long> times)
            throws Exception {
        dropCaches();
        long start = System.nanoTime();
        Clone clone = driver.createClone(runId, Source.dataDir(source.toString()));
        times.add(System.nanoTime() - start);
        driver.deleteClone(clone);
        return clone.description();
    }

    /** Empties the page cache (root on Linux), so both copies read from disk as a real first copy does. */
    static boolean dropCaches() {
        try {
            new ProcessBuilder("sync").start().waitFor();
            Files.writeString(Path.of("/proc/sys/vm/drop_caches"), "3");
            return true;
        } catch (IOException | InterruptedException | SecurityException e) {
            return false;
        }
    }

    static int createDataDirectory(Path home, int megabytes, int sstableMegabytes) throws IOException {
        if (Files.isDirectory(home)) {
            writeCommitLog(home, new Random(megabytes)); // directories made before the segment had Cassandra's layout
            try (var walk = Files.walk(home)) {
                return (int) walk.filter(Files::isRegularFile).count();
            }
        }
        Random random = new Random(megabytes);
        Path table = Files.createDirectories(home.resolve("data/shop/orders-" + "0123456789abcdef".repeat(2)));
        Files.createDirectories(home.resolve("data/system_schema/tables-" + "fedcba9876543210".repeat(2)));
        Files.writeString(home.resolve("data/system_schema/tables-" + "fedcba9876543210".repeat(2)
                + "/nb-1-big-Data.db"), "schema");
        int sstables = Math.max(1, megabytes / sstableMegabytes);
        long sstableBytes = Math.min(megabytes, sstableMegabytes) * 1024L * 1024;
        int files = 1;
        List<String> toc = java.util.Arrays.stream(COMPONENTS).map(c -> c[0]).toList();
        for (int generation = 1; generation <= sstables; generation++) {
            for (String[] component : COMPONENTS) {
                long bytes = (long) (Double.parseDouble(component[1]) * sstableBytes) + 16;
                Path file = table.resolve("nb-" + generation + "-big-" + component[0]);
                switch (component[0]) {
                    case "Filter.db" -> SSTableMetadataFiles.filter(file, bytes, random);
                    case "Statistics.db" -> SSTableMetadataFiles.statistics(file,
                            "org.apache.cassandra.dht.Murmur3Partitioner", 0.01, (int) bytes);
                    case "TOC.txt" -> SSTableMetadataFiles.toc(file, toc);
                    default -> write(file, bytes, random);
                }
                files++;
            }
        }
        writeCommitLog(home, random);
        return files + 1;
    }

    /** The one commit log segment: 32 MiB as Cassandra creates it, {@link #SYNCED_COMMIT_LOG_BYTES} of it written. */
    private static void writeCommitLog(Path home, Random random) throws IOException {
        Path commitlog = Files.createDirectories(home.resolve("commitlog"));
        try (var old = Files.list(commitlog)) {
            for (Path segment : old.toList()) {
                Files.delete(segment);
            }
        }
        long id = 1_733_000_000_000L;
        CommitLogSegmentFiles.write(commitlog.resolve(CommitLogSegmentFiles.name(8, id)), 8, id, 32L * 1024 * 1024,
                java.util.Collections.nCopies(10, SYNCED_COMMIT_LOG_BYTES / 10), 0, random);
    }

    private static void write(Path file, long bytes, Random random) throws IOException {
        byte[] block = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long left = bytes; left > 0; left -= block.length) {
                random.nextBytes(block);
                out.write(block, 0, (int) Math.min(block.length, left));
            }
        }
    }

    static double median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }
}
