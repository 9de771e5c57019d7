package io.snapci.tests.bench;

import io.snapci.model.RunSpec;
import io.snapci.model.RunStatus;
import io.snapci.model.Source;
import io.snapci.scheduler.zookeeper.ZkConnection;
import io.snapci.scheduler.zookeeper.ZkRunStore;
import io.snapci.scheduler.zookeeper.ZkSettings;
import io.snapci.scheduler.zookeeper.ZkUrl;
import io.snapci.server.SnapciServer;
import io.snapci.tests.api.ApiClient;
import io.snapci.tests.mesos.AgentSpec;
import io.snapci.tests.mesos.CallLog;
import io.snapci.tests.mesos.PeerOptions;
import io.snapci.tests.support.ClusterServe;
import org.apache.mesos.v1.scheduler.Protos.Call;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A scheduler restarted on a ZooKeeper that holds many finished runs (30,000 by default: the most serve's retention
 * lets the store keep) and one run queued while it was down: how long until the new process answers
 * {@code GET /v1/runs} (the newest page) and until it ACCEPTs an offer for the queued run, and the heap it holds
 * then. serve runs in mesos mode on a real ZooKeeper (Curator's TestingServer), the Mesos master peer (one
 * {@code tier:ci} agent) and the Portworx peer, configured through the package's SNAPCI_* variables.
 * Not a test: run it with {@code bench/run restart [runs] [restarts]}.
 */
public final class RestartBenchmark {

    public static void main(String[] args) throws Exception {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 30_000;
        int restarts = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        System.out.printf("java %s, %d cores, max heap %d MB%n", Runtime.version(),
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20);
        Path work = Files.createTempDirectory("bench-restart");
        HeapMeter heap = new HeapMeter();
        try (ClusterServe cluster = ClusterServe.peers(PeerOptions.realMaster())) {
            cluster.portworx().addVolume("cassandra-prod-orders", Map.of("app", "orders"), 50L << 30);
            cluster.master().addAgent(AgentSpec.agent("ci-1").hostname("ci-1.example").ports(31000, 31999)
                    .cpus(16).mem(65536).attribute("tier", "ci").build());
            ZkUrl url = ZkUrl.parse(ClusterServe.packageEnv(work, cluster.zookeeper(), cluster.master(),
                    cluster.portworx(), Map.of()).get("SNAPCI_ZK_URL"));
            long start = System.nanoTime();
            try (ZkConnection zk = ZkConnection.open(url, ZkSettings.defaults())) {
                ZkRunStore store = new ZkRunStore(zk);
                store.unfinished(); // as a leader does at its start: from then on it keeps the unfinished index
                Random random = new Random(7);
                for (int i = 0; i < count; i++) {
                    store.save(RunStoreBenchmark.finishedRun(i, random));
                }
            }
            System.out.printf("stored %,d finished runs in %.1f s%n", count, (System.nanoTime() - start) / 1e9);
            System.out.println("| restart | serve started | GET /v1/runs answers | ACCEPT for the queued run"
                    + " | heap held by serve |");
            System.out.println("| --- | --- | --- | --- | --- |");
            Map<String, String> env = Map.of("SNAPCI_PLACEMENT_REQUIRED_ATTRIBUTES", "tier:ci",
                    "SNAPCI_RUNS_RETENTION_MAX_COUNT", "30000", "SNAPCI_RUNS_MAX_CONCURRENT", "8");  // the most retention allows
            for (int round = 1; round <= restarts; round++) {
                queueOneRun(url, round);
                long before = heap.usedAfterGc();
                long accepts = accepts(cluster);
                int callsAtStart = cluster.master().calls().size();
                long sdkAtStart = cluster.portworx().requestCount();
                long t0 = System.nanoTime();
                SnapciServer serve = cluster.serve(work.resolve("serve-" + round), env);
                long started = System.nanoTime() - t0;
                ApiClient api = ClusterServe.api(serve);
                while (api.get("v1/runs?limit=100").status() != 200) {
                    Thread.sleep(5);
                }
                long listed = System.nanoTime() - t0;
                // When each kind of call first reached the master after the restart, and the SDK calls' span: where
                // the time to the ACCEPT goes.
                int callsBefore = callsAtStart;
                Map<Call.Type, Long> firstSeen = new java.util.EnumMap<>(Call.Type.class);
                long sdkBefore = sdkAtStart;
                long sdkFirst = -1;
                long sdkLast = -1;
                while (accepts(cluster) == accepts) {
                    List<CallLog.Received> calls = cluster.master().calls();
                    for (int i = callsBefore; i < calls.size(); i++) {
                        firstSeen.putIfAbsent(calls.get(i).call().getType(), System.nanoTime() - t0);
                    }
                    long sdk = cluster.portworx().requestCount();
                    if (sdk != sdkBefore) {
                        sdkLast = System.nanoTime() - t0;
                        sdkFirst = sdkFirst < 0 ? sdkLast : sdkFirst;
                        sdkBefore = sdk;
                    }
                    if (System.nanoTime() - t0 > Duration.ofSeconds(30).toNanos()) {
                        throw new IllegalStateException("no ACCEPT within 30 s of the restart: "
                                + api.get("v1/runs/r20991231-00000" + round + "-beef").body() + "\n"
                                + api.get("metrics").body().lines().filter(l -> l.contains("offers")).toList()
                                + "\n" + cluster.master().calls().stream().map(c -> c.call().getType() + "=" + c.status()).toList()
                                + "\n" + api.get("v1/health").body());
                    }
                    Thread.sleep(2);
                }
                long accepted = System.nanoTime() - t0;
                long held = heap.usedAfterGc() - before;
                System.out.printf("| %d | %.2f s | %.2f s | %.2f s | %.0f MB |%n", round, started / 1e9, listed / 1e9,
                        accepted / 1e9, held / 1e6);
                StringBuilder breakdown = new StringBuilder("  restart " + round + ": ");
                firstSeen.forEach((type, at) -> breakdown.append(type).append(String.format(" %.2f s, ", at / 1e9)));
                breakdown.append(String.format("SDK calls %.2f–%.2f s", sdkFirst / 1e9, sdkLast / 1e9));
                breakdown.append(" (first seen, after the restart)");
                System.err.println(breakdown);
                serve.close();
            }
        } finally {
            new ProcessBuilder("rm", "-rf", work.toString()).start().waitFor();
        }
    }

    /**
     * A CI job's run submitted to the previous process just before it went down: QUEUED in the store, saved as that
     * process saved it (it read the unfinished runs when it took over, so it keeps their index; a store that never
     * did would leave the index's count behind and make the restart read all 30,000 records to rebuild it).
     */
    private static void queueOneRun(ZkUrl url, int round) throws Exception {
        try (ZkConnection zk = ZkConnection.open(url, ZkSettings.defaults())) {
            RunSpec spec = new RunSpec(Source.volume("cassandra-prod-orders"), "mvn -B verify",
                    "maven:3.9-eclipse-temurin-17", null, Map.of(), null, null, null, Map.of());
            ZkRunStore previousLeader = new ZkRunStore(zk);
            previousLeader.unfinished();
            previousLeader.save(RunStatus.queued("r20991231-00000" + round + "-beef", spec, Instant.now()));
        }
    }

    private static long accepts(ClusterServe cluster) {
        return cluster.master().calls().stream().filter(r -> r.call().getType() == Call.Type.ACCEPT).count();
    }
}
