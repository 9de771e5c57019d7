package io.snapci.tests.bench;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.BatchStatementBuilder;
import com.datastax.oss.driver.api.core.cql.DefaultBatchType;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import io.snapci.executor.cassandra.CassandraDirectories;
import io.snapci.executor.cassandra.CassandraNode;
import io.snapci.executor.cassandra.NodeConfig;
import io.snapci.executor.cassandra.NodePorts;
import io.snapci.model.CassandraSettings;
import io.snapci.model.Phase;
import io.snapci.model.RunSpec;
import io.snapci.model.RunStatus;
import io.snapci.model.Source;
import io.snapci.scheduler.local.LocalMode;
import io.snapci.scheduler.core.run.RunObserver;
import io.snapci.tests.support.ProductionCluster;
import io.snapci.tests.support.Snapci;
import io.snapci.tests.support.SourceNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Submit → tests start with snapci's fast start against a bare Cassandra boot as snapci started nodes before it
 * (process start → first CQL answer, seen by the raw-protocol probe), on an empty node and on about 1 GB of data;
 * and loading the same rows through CQL (unlogged batches per partition, async, bounded in flight). The four
 * timings are interleaved round by round (which way goes first alternates), and medians are printed with the
 * ratio. Then the same rows in a 3-node production cluster (replication factor 1, so each node holds a third:
 * 3 × ~330 MB for 1 GB) copied into one test node: copy time and submit → tests start against the one 1 GB node,
 * interleaved the same way. Not a test: run it with {@code bench/run startup [dir] [megabytes] [rounds] [one-node]}:
 * {@code one-node} leaves the 3-node case out (at 10 GB it would load another 10 GB through CQL).
 */
public final class StartupBenchmark {

    private static final int ROW_BYTES = 1000;
    private static final int ROWS_PER_PARTITION = 50;
    private static final int IN_FLIGHT = 32;

    public static void main(String[] args) throws Exception {
        Path base = Path.of(args.length > 0 ? args[0] : "target/bench-startup").toAbsolutePath();
        int megabytes = args.length > 1 ? Integer.parseInt(args[1]) : 1024;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        boolean threeNodeCase = !(args.length > 3 && args[3].equals("one-node"));
        Path source = base.resolve("source");
        if (Files.exists(base)) {
            new ProcessBuilder("rm", "-rf", base.toString()).start().waitFor();
        }
        long rows = (long) megabytes * 1024 * 1024 / ROW_BYTES;

        long loadNanos;
        try (SourceNode node = SourceNode.start(source, base.resolve("source-config"));
             CqlSession session = node.connect()) {
            loadNanos = load(session, rows);
            node.flush("bench");
        }
        long dataBytes = sizeOf(source.resolve("data/bench"));
        System.out.printf("data: %d rows, %.0f MB of SSTables on disk (%s)%n", rows, dataBytes / 1e6, source);
        System.out.printf("load the rows into a fresh node through CQL: %.1f s (boot not counted)%n", loadNanos / 1e9);

        Path work = base.resolve("work");
        // The first fast run of a runtime+JDK writes the class-data archive; later runs use it.
        long firstUse = snapciSubmitToTestStart(work, null);
        System.out.printf("first fast run ever (writes the class-data archive, not counted): %.2f s%n", firstUse / 1e9);

        List<Long> bareEmpty = new ArrayList<>();
        List<Long> fastEmpty = new ArrayList<>();
        List<Long> bareData = new ArrayList<>();
        List<Long> fastData = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            Path emptyDir = base.resolve("bare-empty-" + round);
            if (round % 2 == 0) {
                bareEmpty.add(bareBoot(emptyDir, base.resolve("bare-empty-config-" + round)));
                fastEmpty.add(snapciSubmitToTestStart(work, null));
                bareData.add(bareBoot(source, base.resolve("bare-config-" + round)));
                fastData.add(snapciSubmitToTestStart(work, source));
            } else {
                fastEmpty.add(snapciSubmitToTestStart(work, null));
                bareEmpty.add(bareBoot(emptyDir, base.resolve("bare-empty-config-" + round)));
                fastData.add(snapciSubmitToTestStart(work, source));
                bareData.add(bareBoot(source, base.resolve("bare-config-" + round)));
            }
            new ProcessBuilder("rm", "-rf", emptyDir.toString()).start().waitFor();
            System.out.printf("round %d: empty bare %.2f s, fast %.2f s; %d MB bare %.2f s, fast %.2f s%n", round + 1,
                    bareEmpty.get(round) / 1e9, fastEmpty.get(round) / 1e9, megabytes, bareData.get(round) / 1e9,
                    fastData.get(round) / 1e9);
        }
        System.out.printf("%nmedians of %d interleaved rounds%n", rounds);
        System.out.printf("%-10s | %-34s | %-34s | %s%n", "data", "bare boot (process start → CQL)",
                "snapci submit → tests start (fast)", "ratio");
        row("empty", bareEmpty, fastEmpty);
        row(megabytes + " MB", bareData, fastData);
        System.out.printf("CQL load of the same rows vs snapci on the copy: %.0f× slower%n",
                loadNanos / CopyBenchmark.median(fastData));
        if (threeNodeCase) {
            threeNodes(base, source, rows, megabytes, rounds);
        }
    }

    /** The 3-node case: 3 × a third of the rows, copied into one test node, against the one node holding all. */
    private static void threeNodes(Path base, Path oneNode, long rows, int megabytes, int rounds) throws Exception {
        Path clusterDir = base.resolve("cluster");
        List<Path> homes;
        try (io.snapci.cli.demo.ProductionCluster cluster = ProductionCluster.start(clusterDir, 3);
             CqlSession session = cluster.connect()) {
            load(session, rows);
            cluster.flush("bench");
            homes = cluster.homes();
        }
        List<String> perNode = new ArrayList<>();
        for (Path home : homes) {
            perNode.add(String.format("%.0f", sizeOf(home.resolve("data/bench")) / 1e6));
        }
        System.out.printf("%n3 nodes, replication factor 1: %s MB of SSTables on each (%s)%n", perNode, clusterDir);
        Source cluster = Source.dataDirs(homes.stream().map(Path::toString).toList());
        Source single = Source.dataDir(oneNode.toString());
        Path work = base.resolve("work");
        List<Timing> one = new ArrayList<>();
        List<Timing> three = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            if (round % 2 == 0) {
                one.add(snapciRun(work, single));
                three.add(snapciRun(work, cluster));
            } else {
                three.add(snapciRun(work, cluster));
                one.add(snapciRun(work, single));
            }
            System.out.printf("round %d: 1 node copy %.2f s, ready %.2f s; 3 nodes copy %.2f s, ready %.2f s%n",
                    round + 1, one.get(round).copy() / 1e9, one.get(round).ready() / 1e9,
                    three.get(round).copy() / 1e9, three.get(round).ready() / 1e9);
        }
        System.out.printf("%nmedians of %d interleaved rounds (the same %d MB of rows)%n", rounds, megabytes);
        System.out.printf("%-22s | %-10s | %s%n", "source", "copy", "snapci submit → tests start (fast)");
        timingRow("1 node", one);
        timingRow("3 nodes → 1 test node", three);
    }

    private static void timingRow(String source, List<Timing> timings) {
        List<Long> copies = timings.stream().map(Timing::copy).toList();
        List<Long> ready = timings.stream().map(Timing::ready).toList();
        System.out.printf("%-22s | %-10s | %.2f s %s%n", source,
                String.format("%.2f s", CopyBenchmark.median(copies) / 1e9), CopyBenchmark.median(ready) / 1e9,
                seconds(ready));
    }

    /** Submit → copy made (the run is placed), and submit → tests start. */
    private record Timing(long copy, long ready) {
    }

    private static Timing snapciRun(Path workRoot, Source source) {
        LocalMode local = new LocalMode(workRoot, Snapci.cassandraRuntime(), workRoot, Clock.systemUTC());
        AtomicLong placingAt = new AtomicLong();
        AtomicLong testingAt = new AtomicLong();
        local.service().addObserver(new RunObserver() {
            @Override
            public void onStatus(RunStatus status) {
                if (status.phase() == Phase.PLACING) {
                    placingAt.compareAndSet(0, System.nanoTime());
                }
                if (status.phase() == Phase.TESTING) {
                    testingAt.compareAndSet(0, System.nanoTime());
                }
            }
        });
        long start = System.nanoTime();
        RunStatus run = local.service().execute(local.service().submit(new RunSpec(source, "true", null, null,
                Map.of(), null, null, null, Map.of())).id());
        if (run.phase() != Phase.PASSED) {
            throw new IllegalStateException("benchmark run did not pass: " + run.message());
        }
        return new Timing(placingAt.get() - start, testingAt.get() - start);
    }

    private static void row(String data, List<Long> bare, List<Long> fast) {
        double b = CopyBenchmark.median(bare);
        double f = CopyBenchmark.median(fast);
        System.out.printf("%-10s | %-34s | %-34s | ×%.2f%n", data, String.format("%.2f s %s", b / 1e9, seconds(bare)),
                String.format("%.2f s %s", f / 1e9, seconds(fast)), f / b);
    }

    private static long load(CqlSession session, long rows) throws InterruptedException {
        session.execute("CREATE KEYSPACE bench WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
        session.execute("CREATE TABLE bench.rows (bucket bigint, id int, payload text, PRIMARY KEY (bucket, id))");
        PreparedStatement insert = session.prepare("INSERT INTO bench.rows (bucket, id, payload) VALUES (?, ?, ?)");
        // Random text, so the SSTables on disk really hold about a gigabyte (repeated text compresses to nothing).
        java.util.Random random = new java.util.Random(7);
        StringBuilder pool = new StringBuilder();
        for (int i = 0; i < 1 << 16; i++) {
            pool.append((char) ('!' + random.nextInt(94)));
        }
        String text = pool.toString();
        int width = ROW_BYTES - 40;
        Semaphore inFlight = new Semaphore(IN_FLIGHT);
        AtomicLong failures = new AtomicLong();
        long start = System.nanoTime();
        for (long bucket = 0; bucket * ROWS_PER_PARTITION < rows; bucket++) {
            BatchStatementBuilder batch = BatchStatement.builder(DefaultBatchType.UNLOGGED);
            for (int id = 0; id < ROWS_PER_PARTITION; id++) {
                int offset = random.nextInt(text.length() - width);
                batch.addStatement(insert.bind(bucket, id, text.substring(offset, offset + width)));
            }
            inFlight.acquire();
            CompletionStage<AsyncResultSet> done = session.executeAsync(batch.build());
            done.whenComplete((r, e) -> {
                if (e != null) {
                    failures.incrementAndGet();
                }
                inFlight.release();
            });
        }
        inFlight.acquire(IN_FLIGHT);
        if (failures.get() > 0) {
            System.out.println("warning: " + failures.get() + " batches failed to load");
        }
        return System.nanoTime() - start;
    }

    /** Submit → the test command starts, with the fast start (the default); {@code source} null: an empty node. */
    private static long snapciSubmitToTestStart(Path workRoot, Path source) {
        LocalMode local = new LocalMode(workRoot, Snapci.cassandraRuntime(), workRoot, Clock.systemUTC());
        AtomicLong testingAt = new AtomicLong();
        local.service().addObserver(new RunObserver() {
            @Override
            public void onStatus(RunStatus status) {
                if (status.phase() == Phase.TESTING) {
                    testingAt.compareAndSet(0, System.nanoTime());
                }
            }
        });
        long start = System.nanoTime();
        RunStatus run = local.service().execute(local.service().submit(new RunSpec(
                source == null ? null : Source.dataDir(source.toString()),
                "true", null, null, Map.of(), null, null, null, Map.of())).id());
        if (run.phase() != Phase.PASSED) {
            throw new IllegalStateException("benchmark run did not pass: " + run.message());
        }
        return testingAt.get() - start;
    }

    /**
     * A node on {@code dataDir} itself (not a snapci copy, so started as snapci started every node before the fast
     * start): from its process starting to its first CQL answer.
     */
    private static long bareBoot(Path dataDir, Path configDir) throws Exception {
        NodeConfig config = new NodeConfig("production", CassandraDirectories.under(dataDir), configDir,
                NodePorts.pick(null), CassandraSettings.defaults());
        CassandraNode node = new CassandraNode(Snapci.cassandraRuntime(), config);
        long start = System.nanoTime();
        node.start();
        try {
            node.awaitReady(Duration.ofMinutes(5), () -> false);
            return System.nanoTime() - start;
        } finally {
            node.stop(Duration.ofSeconds(30));
        }
    }

    private static long sizeOf(Path dir) throws Exception {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    private static String seconds(List<Long> nanos) {
        return nanos.stream().map(n -> String.format("%.2f", n / 1e9)).toList().toString();
    }
}
