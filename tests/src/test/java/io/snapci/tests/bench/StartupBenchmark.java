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
 * Request → tests start on about 1 GB of data, three ways:
 * (1) snapci: copy the data directory, boot on the copy, start the test command;
 * (2) a bare Cassandra boot on the same data (no copy): the floor;
 * (3) loading the same rows into a fresh node through CQL (unlogged batches per partition, async, bounded in flight).
 * Not a test: run it with {@code bench/run startup [dir] [megabytes]}.
 */
public final class StartupBenchmark {

    private static final int REPEATS = 3;
    private static final int ROW_BYTES = 1000;
    private static final int ROWS_PER_PARTITION = 50;
    private static final int IN_FLIGHT = 32;

    public static void main(String[] args) throws Exception {
        Path base = Path.of(args.length > 0 ? args[0] : "target/bench-startup").toAbsolutePath();
        int megabytes = args.length > 1 ? Integer.parseInt(args[1]) : 1024;
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
        System.out.printf("(3) load the rows into a fresh node through CQL: %.1f s%n", loadNanos / 1e9);

        List<Long> snapci = new ArrayList<>();
        for (int i = 0; i < REPEATS; i++) {
            snapci.add(snapciRequestToTestStart(base.resolve("work"), source));
        }
        System.out.printf("(1) snapci request → tests start: median %.1f s of %s%n",
                CopyBenchmark.median(snapci) / 1e9, seconds(snapci));

        List<Long> bare = new ArrayList<>();
        for (int i = 0; i < REPEATS; i++) {
            bare.add(bareBoot(source, base.resolve("bare-config-" + i)));
        }
        System.out.printf("(2) bare Cassandra boot on the same data: median %.1f s of %s%n",
                CopyBenchmark.median(bare) / 1e9, seconds(bare));
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

    private static long snapciRequestToTestStart(Path workRoot, Path source) {
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
        RunStatus run = local.service().execute(local.service().submit(new RunSpec(Source.dataDir(source.toString()),
                "true", null, null, Map.of(), null, null, null, Map.of())).id());
        if (run.phase() != Phase.PASSED) {
            throw new IllegalStateException("benchmark run did not pass: " + run.message());
        }
        System.out.printf("    snapci run: %s; Cassandra ready in %.1f s%n", run.snapshot(),
                run.cassandraReadyMillis() / 1000.0);
        return testingAt.get() - start;
    }

    private static long bareBoot(Path source, Path configDir) throws Exception {
        NodeConfig config = new NodeConfig("production", CassandraDirectories.under(source), configDir,
                NodePorts.pick(null), CassandraSettings.defaults());
        long start = System.nanoTime();
        CassandraNode node = CassandraNode.startReady(Snapci.cassandraRuntime(), config, Duration.ofMinutes(5));
        long took = System.nanoTime() - start;
        node.stop(Duration.ofSeconds(30));
        return took;
    }

    private static long sizeOf(Path dir) throws Exception {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    private static String seconds(List<Long> nanos) {
        return nanos.stream().map(n -> String.format("%.1f s", n / 1e9)).toList().toString();
    }
}
