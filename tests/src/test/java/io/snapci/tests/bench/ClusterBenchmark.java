package io.snapci.tests.bench;

import com.datastax.oss.driver.api.core.CqlSession;
import com.fasterxml.jackson.databind.JsonNode;
import io.snapci.model.Phase;
import io.snapci.model.RunSpec;
import io.snapci.model.RunStatus;
import io.snapci.model.Source;
import io.snapci.scheduler.local.LocalMode;
import io.snapci.tests.api.ApiClient;
import io.snapci.tests.cluster.LocalCluster;
import io.snapci.tests.support.Snapci;
import io.snapci.tests.support.SourceNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code bench/run cluster [rounds] [rows]}: submit → tests start through the whole cluster path ({@link LocalCluster}:
 * serve in mesos mode, offers, the executing agent fetching the bundle and booting the image's Cassandra on a
 * Portworx-peer clone) with and without the agents' class-data archive directory
 * ({@code cassandra.classArchiveHostPath}), against the same run locally ({@code snapci run} on the same data
 * directory), interleaved, with the SDK calls per run and the bytes a run fetches. "Tests start" is the run's TESTING phase in its own record.
 */
public final class ClusterBenchmark {

    private ClusterBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int rows = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
        Path root = Files.createTempDirectory("snapci-bench-cluster");
        Files.setPosixFilePermissions(root, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        Path production = root.resolve("production");
        try (SourceNode node = SourceNode.start(production, root.resolve("production-node"));
             CqlSession cql = node.connect()) {
            cql.execute("CREATE KEYSPACE bench WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
            cql.execute("CREATE TABLE bench.rows (id int PRIMARY KEY, payload text)");
            var insert = cql.prepare("INSERT INTO bench.rows (id, payload) VALUES (?, ?)");
            for (int i = 0; i < rows; i++) {
                cql.execute(insert.bind(i, "row " + i + " " + "x".repeat(200)));
            }
            node.flush("bench");
        }
        System.out.printf("data: %d rows in a stopped production node (%s)%n", rows, production);

        LocalMode local = new LocalMode(root.resolve("local"), Snapci.cassandraRuntime(), root, Clock.systemUTC());
        List<Double> localSeconds = new ArrayList<>();
        List<Double> archivedSeconds = new ArrayList<>();
        List<Double> unarchivedSeconds = new ArrayList<>();
        List<Long> sdkCalls = new ArrayList<>();
        try (LocalCluster cluster = LocalCluster.start(root.resolve("cluster"), 1)) {
            cluster.addProductionVolume("bench-prod", production);
            // The agent's first run with the archive directory writes the archive: not counted, as an agent's
            // first run after installation is not.
            ApiClient ci = serve(cluster, true);
            JsonNode first = clusterRun(ci);
            System.out.printf("first run with the archive directory (writes the archive): %.1f s (%s); archives"
                    + " on the agent: %d%n", toTests(first), first.path("phase").asText(),
                    cluster.classArchiveFiles().size());
            for (int round = 1; round <= rounds; round++) {
                RunStatus localRun = local.service().execute(local.service().submit(new RunSpec(
                        Source.dataDir(production.toString()), "true", null, root.toString(), Map.of(), null, null,
                        null, Map.of())).id());
                localSeconds.add(toTests(localRun.history().get(0).at(), localRun.history()));

                // Which cluster way goes first alternates between rounds (serve restarts between the two).
                boolean archiveFirst = round % 2 == 1;
                String phases = "";
                for (boolean archive : archiveFirst ? new boolean[] {true, false} : new boolean[] {false, true}) {
                    cluster.stopServe();
                    ci = serve(cluster, archive);
                    long callsBefore = cluster.portworx().requestCount();
                    JsonNode run = clusterRun(ci);
                    sdkCalls.add(cluster.portworx().requestCount() - callsBefore);
                    (archive ? archivedSeconds : unarchivedSeconds).add(toTests(run));
                    phases += (archive ? " archive " : " no archive ") + run.path("phase").asText();
                    System.err.println("  " + (archive ? "with the archive: " : "without: ") + phaseTimes(run));
                }
                System.out.printf("round %d: local %.1f s (%s), cluster with the archive %.1f s, without %.1f s (%s)%n",
                        round, last(localSeconds), localRun.phase(), last(archivedSeconds), last(unarchivedSeconds),
                        phases.strip());
            }
            System.out.printf("submit → tests start, median of %d interleaved rounds: local %.1f s; cluster with the"
                    + " agents' class-data archive %.1f s (×%.2f local), without it %.1f s (×%.2f local);"
                    + " archive / no archive ×%.2f%n", rounds, median(localSeconds),
                    median(archivedSeconds), median(archivedSeconds) / median(localSeconds),
                    median(unarchivedSeconds), median(unarchivedSeconds) / median(localSeconds),
                    median(archivedSeconds) / median(unarchivedSeconds));
            System.out.printf("Portworx SDK calls per cluster run (create, place, delete): median %d%n",
                    (long) median(sdkCalls.stream().map(Long::doubleValue).toList()));
            System.out.printf("executor bundle: %.1f MB, downloaded %d time(s) for %d runs (the fetcher's cache:"
                    + " once per agent and user; each run extracts it into its two task sandboxes)%n",
                    cluster.bundleBytes() / 1e6, cluster.bundleDownloads(), 2 * rounds + 1);
        }
    }

    /** Serve on the cluster with the agents' class-archive directory configured, or with none. */
    private static ApiClient serve(LocalCluster cluster, boolean archive) throws Exception {
        ApiClient ci = new ApiClient(cluster.serve(archive ? Map.of()
                : Map.of("SNAPCI_CASSANDRA_CLASS_ARCHIVE_HOST_PATH", "")).baseUri(), LocalCluster.TOKEN);
        cluster.master().awaitSubscribed(Duration.ofMinutes(1));
        return ci;
    }

    private static JsonNode clusterRun(ApiClient ci) throws Exception {
        ApiClient.Reply submitted = ci.post("v1/runs", "{\"source\":{\"volume\":\"bench-prod\"},"
                + "\"testCommand\":\"true\",\"testImage\":\"" + LocalCluster.GUESTBOOK_IMAGE + "\"}");
        if (submitted.status() != 201) {
            throw new IllegalStateException("the run was refused: " + submitted);
        }
        return awaitEnd(ci, submitted.json().path("id").asText());
    }

    /** Each phase the run went through, with the seconds since it was submitted: where the time goes. */
    private static String phaseTimes(JsonNode run) {
        StringBuilder line = new StringBuilder();
        Instant submitted = null;
        for (JsonNode change : run.path("history")) {
            Instant at = Instant.parse(change.path("at").asText());
            submitted = submitted == null ? at : submitted;
            line.append(change.path("phase").asText()).append(String.format(" %.2f s, ",
                    Duration.between(submitted, at).toMillis() / 1000.0));
        }
        return line.toString();
    }

    private static double last(List<Double> values) {
        return values.get(values.size() - 1);
    }

    private static double toTests(Instant submitted, List<RunStatus.PhaseChange> history) {
        Instant testing = history.stream().filter(c -> c.phase() == Phase.TESTING).map(RunStatus.PhaseChange::at)
                .findFirst().orElseThrow(() -> new IllegalStateException("the run never reached TESTING: " + history));
        return Duration.between(submitted, testing).toMillis() / 1000.0;
    }

    private static double toTests(JsonNode run) {
        Instant submitted = null;
        Instant testing = null;
        for (JsonNode change : run.path("history")) {
            Instant at = Instant.parse(change.path("at").asText());
            if (submitted == null) {
                submitted = at;
            }
            if (change.path("phase").asText().equals("TESTING") && testing == null) {
                testing = at;
            }
        }
        if (testing == null) {
            throw new IllegalStateException("the run never reached TESTING: " + run);
        }
        return Duration.between(submitted, testing).toMillis() / 1000.0;
    }

    private static JsonNode awaitEnd(ApiClient ci, String runId) throws Exception {
        return ci.runOnceCleanedUp(runId, Duration.ofMinutes(5));
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
