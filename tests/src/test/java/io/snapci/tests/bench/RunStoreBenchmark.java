package io.snapci.tests.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.snapci.model.Json;
import io.snapci.model.Phase;
import io.snapci.model.RunSpec;
import io.snapci.model.RunStatus;
import io.snapci.model.Source;
import io.snapci.model.TestCounts;
import io.snapci.scheduler.core.testkit.InMemoryRunStore;
import io.snapci.scheduler.core.state.RunPage;
import io.snapci.scheduler.core.state.RunStore;
import io.snapci.scheduler.zookeeper.ZkConnection;
import io.snapci.scheduler.zookeeper.ZkRunStore;
import io.snapci.scheduler.zookeeper.ZkSettings;
import io.snapci.scheduler.zookeeper.ZkUrl;
import org.apache.zookeeper.server.embedded.ZooKeeperServerEmbedded;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;

/**
 * 10,000 finished runs, as a scheduler that has been up for a few months holds them:
 * (1) the heap they retain in {@link InMemoryRunStore}, (2) saving them to {@link ZkRunStore} on a real ZooKeeper
 * and reading them all back through a new connection, as a restarted scheduler does, (3) one page of the newest 100
 * as {@code GET /v1/runs} reads it, unfiltered and filtered (one run in ten failed).
 * Not a test: run it with {@code bench/run runstore [runs]}.
 *
 * <p>ZooKeeper is the project's own server, embedded in this JVM (the same server Curator's TestingServer wraps,
 * which is not on this module's classpath), with its defaults: every write is fsynced to its transaction log.
 */
public final class RunStoreBenchmark {

    private static final ObjectMapper JSON = Json.mapper();

    public static void main(String[] args) throws Exception {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        System.out.printf("java %s, %d cores, max heap %d MB%n", Runtime.version(),
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20);

        HeapMeter heap = new HeapMeter();
        long before = heap.usedAfterGc();
        RunStore memory = new InMemoryRunStore();
        long jsonBytes = 0;
        Random random = new Random(7);
        for (int i = 0; i < count; i++) {
            // Through JSON, as runs are once loaded from a store: no string is shared between two records by chance.
            byte[] record = JSON.writeValueAsBytes(finishedRun(i, random));
            jsonBytes += record.length;
            memory.save(JSON.readValue(record, RunStatus.class));
        }
        long after = heap.usedAfterGc();
        long retained = after - before;
        System.out.printf("heap: %d runs retain %.1f MB in InMemoryRunStore, %d bytes per run "
                        + "(JSON: %d bytes per run on average)%n",
                memory.list().size(), retained / 1e6, retained / count, jsonBytes / count);

        List<RunStatus> runs = memory.list();
        Path dir = Files.createTempDirectory("bench-zk");
        try (ZooKeeperServerEmbedded server = zooKeeper(dir)) {
            server.start(30_000);
            ZkUrl url = new ZkUrl(server.getConnectionString(), "/snapci/state");
            try (ZkConnection scheduler = ZkConnection.open(url, ZkSettings.defaults())) {
                RunStore store = new ZkRunStore(scheduler);
                long start = System.nanoTime();
                runs.forEach(store::save);
                Duration saving = Duration.ofNanos(System.nanoTime() - start);
                System.out.printf("zk: save %d runs one by one: %d ms (%.2f ms per run)%n", count, saving.toMillis(),
                        saving.toNanos() / 1e6 / count);
            }
            for (int attempt = 1; attempt <= 3; attempt++) {
                try (ZkConnection restarted = ZkConnection.open(url, ZkSettings.defaults())) {
                    long start = System.nanoTime();
                    List<RunStatus> read = new ZkRunStore(restarted).list();
                    Duration listing = Duration.ofNanos(System.nanoTime() - start);
                    if (!read.equals(runs)) {
                        throw new IllegalStateException("list() did not return the saved runs, oldest first");
                    }
                    System.out.printf("zk: list() of %d runs on a new connection (restart %d): %d ms%n",
                            read.size(), attempt, listing.toMillis());
                }
            }
            try (ZkConnection api = ZkConnection.open(url, ZkSettings.defaults())) {
                RunStore store = new ZkRunStore(api);
                List<String> newest = runs.stream().map(RunStatus::id).sorted(Comparator.reverseOrder()).toList();
                for (int attempt = 1; attempt <= 3; attempt++) {
                    long start = System.nanoTime();
                    RunPage page = store.page(null, 100, run -> true);
                    Duration paging = Duration.ofNanos(System.nanoTime() - start);
                    if (!page.runs().stream().map(RunStatus::id).toList().equals(newest.subList(0, 100))) {
                        throw new IllegalStateException("page() did not return the newest 100 runs");
                    }
                    start = System.nanoTime();
                    RunPage failed = store.page(null, 100, run -> run.phase() == Phase.FAILED);
                    Duration filtered = Duration.ofNanos(System.nanoTime() - start);
                    System.out.printf("zk: page(limit 100) of %d runs: %d ms; page(limit 100, FAILED: 1 in 10): "
                            + "%d ms, %d runs (try %d)%n", count, paging.toMillis(), filtered.toMillis(),
                            failed.runs().size(), attempt);
                }
            }
        } finally {
            new ProcessBuilder("rm", "-rf", dir.toString()).start().waitFor();
        }
    }

    /**
     * A run that went the whole way: a volume source, a Maven command in an image, a CI job's env and labels, every
     * phase with its time, the clone, the readiness time and the test counts; one run in ten failed 1–5 tests.
     */
    static RunStatus finishedRun(int n, Random random) {
        Instant created = Instant.parse("2026-09-01T00:00:00Z").plusSeconds(n * 600L + random.nextInt(600));
        String build = String.valueOf(4000 + n);
        Map<String, String> env = new LinkedHashMap<>();
        env.put("SPRING_PROFILES_ACTIVE", "it");
        env.put("MAVEN_OPTS", "-Xmx1g -XX:+UseG1GC");
        env.put("GIT_COMMIT", Long.toHexString(random.nextLong()) + Long.toHexString(random.nextLong()));
        env.put("BUILD_NUMBER", build);
        Map<String, String> labels = Map.of("ci", "jenkins", "job", "orders-service/integration", "build", build,
                "branch", "feature/ORD-" + (1000 + random.nextInt(9000)) + "-refund-flow");
        RunSpec spec = new RunSpec(Source.volume("cassandra-prod-orders"),
                "mvn -B -q verify -pl orders-service -Dgroups=integration -Dcassandra.contact=$CASSANDRA_HOST:"
                        + "$CASSANDRA_PORT", "maven:3.9-eclipse-temurin-17", null, env,
                "orders-service/target/failsafe-reports/*.xml", null, null, labels);
        String id = String.format("r%s-%04x", "20260901-" + String.format("%06d", n), random.nextInt(0x10000));
        Instant t = created;
        RunStatus run = RunStatus.queued(id, spec, t);
        run = run.withPhase(Phase.SNAPSHOTTING, "copying volume cassandra-prod-orders", t = t.plusMillis(40));
        run = run.withClone("snapci-" + id, "snapshot 7731" + n + " of cassandra-prod-orders taken "
                + t.plusSeconds(2));
        run = run.withPhase(Phase.PLACING, "waiting for an offer", t = t.plusSeconds(3));
        run = run.withPhase(Phase.STARTING_CASSANDRA, "on agent a-" + random.nextInt(40), t = t.plusSeconds(2));
        long ready = 5000 + random.nextInt(3000);
        run = run.withCassandraReady(ready);
        run = run.withPhase(Phase.TESTING, "running the test command", t = t.plusMillis(ready));
        int tests = 1100 + random.nextInt(200);
        boolean failed = n % 10 == 0;
        List<TestCounts.TestFailure> failures = new ArrayList<>();
        for (int f = 0; failed && f < 1 + random.nextInt(5); f++) {
            failures.add(new TestCounts.TestFailure("com.example.orders.RefundRepositoryIT", "refundsPartially" + f,
                    "expected: <" + (f + 2) + "> but was: <" + f + "> in refund " + random.nextInt(1_000_000)));
        }
        TestCounts counts = new TestCounts(tests, failures.size(), 0, 12, failures);
        run = run.withTestResult(failed ? 1 : 0, counts);
        t = t.plusSeconds(240 + random.nextInt(300));
        run = failed ? run.withPhase(Phase.FAILED, counts.summary(), t) : run.withPhase(Phase.PASSED, counts.summary(), t);
        return run.withCleanedUp(true);
    }

    private static ZooKeeperServerEmbedded zooKeeper(Path dir) throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Properties config = new Properties();
        config.setProperty("clientPort", String.valueOf(port));
        config.setProperty("admin.enableServer", "false");
        return ZooKeeperServerEmbedded.builder().baseDir(dir).configuration(config).build();
    }
}
