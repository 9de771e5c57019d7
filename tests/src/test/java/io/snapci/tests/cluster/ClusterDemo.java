package io.snapci.tests.cluster;

import com.datastax.oss.driver.api.core.CqlSession;
import io.snapci.cli.SnapciCli;
import io.snapci.cli.demo.GuestbookData;
import io.snapci.cli.demo.ProductionAfterRuns;
import io.snapci.cli.demo.ProductionNode;
import io.snapci.scheduler.local.storage.DirectoryFingerprint;
import io.snapci.server.SnapciServer;
import io.snapci.tests.support.Snapci;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * {@code ./snapci demo --cluster}: the guestbook story through the whole cluster path on this machine. A CI job
 * talks to snapci serve (mesos mode, state in a real ZooKeeper) with the same {@code snapci run} a
 * {@code dcos snapci run} is; serve snapshots and clones the production volume on the Portworx peer (real
 * directories: the volume is the running production node's data), receives offers from the Mesos master peer,
 * places the run on the {@code tier:ci} agent, whose default executor really fetches snapci's executor bundle and
 * runs the run's two tasks: the Cassandra image's node booted by snapci's node launcher on the clone, and the
 * guestbook's Maven tests in their test image. Production's files are compared before and after.
 */
public final class ClusterDemo {

    static final String PRODUCTION_VOLUME = "guestbook-prod";
    static final String TEST_COMMAND = "mvn -B -q test";
    static final String JUNIT = "target/surefire-reports/*.xml";

    private ClusterDemo() {
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args.length > 0 ? args[0] : System.getProperty("java.io.tmpdir") + "/snapci-cluster-demo");
        int entries = args.length > 1 ? Integer.parseInt(args[1]) : 500;
        int exit = run(root, entries, System.out);
        System.exit(exit);
    }

    /** Tells the story under {@code root} (made anew); 0 when it went as told. */
    public static int run(Path root, int entries, PrintStream out) throws Exception {
        reset(root);
        Path production = root.resolve("production");
        out.println("== 1/5 Production: a guestbook on Cassandra, running, with " + entries + " entries ==");
        try (ProductionNode prod = ProductionNode.start(Snapci.cassandraRuntime(), production,
                root.resolve("production-node"))) {
            try (CqlSession session = prod.connect()) {
                GuestbookData.createSchema(session,
                        Snapci.repoRoot().resolve("examples/guestbook/src/main/resources/schema.cql"));
                int rows = GuestbookData.load(session, entries);
                out.println("production holds " + rows + " entries; last night " + GuestbookData.BAD_AUTHOR
                        + " signed: " + GuestbookData.BAD_MESSAGE);
            }
            prod.flush();
            Path guestbookTables = production.resolve("data").resolve("guestbook");
            DirectoryFingerprint before = DirectoryFingerprint.of(guestbookTables);

            out.println("== 2/5 The cluster: snapci serve on Mesos and Portworx ==");
            try (LocalCluster cluster = LocalCluster.start(root.resolve("cluster"), 1)) {
                cluster.addProductionVolume(PRODUCTION_VOLUME, production);
                SnapciServer serve = cluster.serve(Map.of());
                cluster.master().awaitSubscribed(Duration.ofSeconds(30));
                out.println("real: snapci serve (mesos mode) at " + serve.baseUri() + ", ZooKeeper, Cassandra, the"
                        + " guestbook's Maven tests, snapci's executor bundle and node launcher; peers: the Mesos"
                        + " master with executing agents " + cluster.agents() + " (tier:ci on " + LocalCluster.CI_AGENT
                        + " only), Portworx (volume " + PRODUCTION_VOLUME + " = " + production + ")");

                out.println("== 3/5 CI as it was: the tests on their own fixtures, on an empty Cassandra ==");
                int fixtures = ciJob(serve, out, "--empty");
                out.println("on fixtures: " + verdict(fixtures));

                out.println("== 4/5 CI with snapci: the same tests on a clone of production's volume ==");
                int snapshot = ciJob(serve, out, "--volume", PRODUCTION_VOLUME);
                out.println("on production data: " + verdict(snapshot));

                out.println("== 5/5 Production and the cluster after the runs ==");
                ProductionAfterRuns after = ProductionAfterRuns.check(guestbookTables, before, prod, entries,
                        out::println);
                List<String> volumes = cluster.portworx().volumeIds();
                out.println("Portworx volumes left: " + volumes.size() + " (" + (volumes.equals(
                        List.of(cluster.portworx().idOfName(PRODUCTION_VOLUME))) ? "production only: the runs'"
                        + " snapshots and clones are gone" : "LEFT BEHIND: " + volumes) + ")");
                List<Long> processes = awaitNoProcesses(cluster);
                out.println("processes the agents started still running: " + processes.size());
                out.println("executor bundle: " + cluster.bundleBytes() / (1024 * 1024) + " MB, downloaded "
                        + cluster.bundleDownloads() + " time(s) by the agents (cached per agent and user)");
                out.println("class-data archives on the CI agents: " + cluster.classArchiveFiles().size()
                        + " (cassandra.class_archive_host_path: the agents' later runs start with it)");
                boolean told = fixtures == 0 && snapshot != 0 && snapshot != 2 && snapshot != 3
                        && after.unchanged() && volumes.size() == 1
                        && processes.isEmpty();
                out.println(told ? "The tests passed on fixtures and caught the bug on production data, through"
                        + " offers, task groups and a Portworx clone; production was never written."
                        : "The demo did not go as told: see the lines above.");
                return told ? 0 : 1;
            }
        }
    }

    /** What a CI job's script runs: {@code snapci run} against the service (as {@code dcos snapci run}). */
    private static int ciJob(SnapciServer serve, PrintStream out, String... source) {
        List<String> args = new java.util.ArrayList<>(List.of("run", "--url", serve.baseUri().toString(),
                "--token", LocalCluster.TOKEN, "--plain", "--test-image", LocalCluster.GUESTBOOK_IMAGE,
                "--test-cmd", TEST_COMMAND, "--junit", JUNIT));
        args.addAll(List.of(source));
        out.println("$ snapci " + String.join(" ", args).replace(LocalCluster.TOKEN, "***"));
        return SnapciCli.commandLine().execute(args.toArray(String[]::new));
    }

    private static String verdict(int exit) {
        return exit == 0 ? "PASSED (exit 0)" : exit == 2 || exit == 3 ? "ERROR (exit " + exit + ")"
                : "FAILED (exit " + exit + ")";
    }

    private static List<Long> awaitNoProcesses(LocalCluster cluster) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        List<Long> left = cluster.processes();
        while (!left.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(200);
            left = cluster.processes();
        }
        return left;
    }

    private static void reset(Path root) throws java.io.IOException {
        if (Files.exists(root)) {
            try (var walk = Files.walk(root)) {
                for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        Files.createDirectories(root);
    }
}
