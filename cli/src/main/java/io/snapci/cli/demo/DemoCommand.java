package io.snapci.cli.demo;

import io.snapci.model.SnapciHome;

import com.datastax.oss.driver.api.core.CqlSession;
import io.snapci.cli.ExitCodes;
import io.snapci.cli.ProgressPrinter;
import io.snapci.cli.RunCommand;
import io.snapci.executor.cassandra.CassandraRuntime;
import io.snapci.model.Phase;
import io.snapci.model.RunSpec;
import io.snapci.model.RunStatus;
import io.snapci.model.Source;
import io.snapci.scheduler.local.LocalMode;
import io.snapci.scheduler.local.storage.DirectoryFingerprint;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * {@code snapci demo}: the story snapci grew from, on this machine. A guestbook's new output format passes its
 * tests on fixtures, and fails them on a snapshot of production, where a user typed a character nobody's fixtures
 * had; production is shown unchanged.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run the guestbook story: tests pass on fixtures, fail on a snapshot of production, "
                + "production unchanged. Exit code 0 when the story goes as told.")
public final class DemoCommand implements Callable<Integer> {

    private static final String DEMO_MARKER = "snapci-demo";
    private static final String TEST_COMMAND = "mvn -B -q test";
    private static final String JUNIT = "target/surefire-reports/*.xml";

    @Option(names = "--guestbook", paramLabel = "DIR",
            description = "The guestbook example (default: examples/guestbook of the snapci checkout).")
    Path guestbook;

    @Option(names = "--work-root", paramLabel = "DIR", description = "Where the demo keeps its files "
            + "(default: $SNAPCI_HOME or ~/.snapci; the demo uses its demo/ folder).")
    Path workRoot;

    @Option(names = "--entries", paramLabel = "N", defaultValue = "500",
            description = "How many ordinary guestbook entries production holds (default: ${DEFAULT-VALUE}).")
    int entries;

    @Option(names = "--nodes", paramLabel = "N", defaultValue = "1",
            description = "Production as a cluster of N nodes (3 or more, replication factor 2) where the entry that"
                    + " breaks the site lives on nodes 2 and 3 only: a copy of node 1 alone passes, a copy of the"
                    + " whole cluster catches it (default: ${DEFAULT-VALUE}, one node).")
    int nodes;

    @Override
    public Integer call() throws Exception {
        return run(System.out, System.err);
    }

    int run(PrintStream out, PrintStream err) throws Exception {
        if (nodes != 1 && (nodes < 3 || nodes > 9)) {
            err.println("snapci demo: --nodes is 1, or 3 to 9 (the entry lives on nodes 2 and 3)");
            return ExitCodes.USAGE;
        }
        Path app = (guestbook != null ? guestbook : defaultGuestbook()).toAbsolutePath().normalize();
        if (!Files.isRegularFile(app.resolve("pom.xml"))) {
            err.println("snapci demo: no guestbook example at " + app + "; pass --guestbook DIR");
            return ExitCodes.USAGE;
        }
        Path root = (workRoot == null ? SnapciHome.defaultWorkRoot() : workRoot).toAbsolutePath().resolve("demo");
        resetDemoDir(root);
        CassandraRuntime runtime = CassandraRuntime.locate();
        ProgressPrinter printer = new ProgressPrinter(out, err);
        if (nodes != 1) {
            return new ClusterStory(nodes, entries, DemoCommand::spec).run(root, app, runtime, printer);
        }
        Path production = root.resolve("production");

        printer.note("== 1/4 Production: a guestbook on Cassandra, running, with " + entries + " entries ==");
        try (ProductionNode prod = ProductionNode.start(runtime, production, root.resolve("production-node"))) {
            try (CqlSession session = prod.connect()) {
                GuestbookData.createSchema(session, app.resolve("src/main/resources/schema.cql"));
                int rows = GuestbookData.load(session, entries);
                printer.note("production holds " + rows + " entries; last night " + GuestbookData.BAD_AUTHOR
                        + " signed: " + GuestbookData.BAD_MESSAGE);
            }
            prod.flush();
            printer.note("nodetool flush on production (it keeps running); production data: " + production);
            Path guestbookTables = production.resolve("data").resolve("guestbook");
            DirectoryFingerprint before = DirectoryFingerprint.of(guestbookTables);

            LocalMode local = new LocalMode(root.resolve("work"), runtime, app, Clock.systemUTC());
            printer.note("== 2/4 CI as it was: the tests on their own fixtures, on an empty Cassandra ==");
            RunStatus fixtures = RunCommand.runToEnd(local, spec(null, app), printer);
            printer.note("on fixtures: " + summary(fixtures));

            printer.note("== 3/4 CI with snapci: the same tests on a snapshot of production ==");
            RunStatus snapshot = RunCommand.runToEnd(local,
                    spec(Source.dataDir(production.toString()), app), printer);
            printer.note("on production data: " + summary(snapshot));

            printer.note("== 4/4 Production after the runs ==");
            ProductionAfterRuns after = ProductionAfterRuns.check(guestbookTables, before, prod, entries,
                    printer::note);
            boolean told = fixtures.phase() == Phase.PASSED && snapshot.phase() == Phase.FAILED
                    && after.unchanged() && fixtures.cleanedUp() && snapshot.cleanedUp();
            printer.note(told ? "The tests passed on fixtures and caught the bug on production data; "
                    + "production was never written. Fix the renderer in " + app.resolve("src/main/java")
                    + " and run the demo again." : "The demo did not go as told: see the lines above.");
            return told ? ExitCodes.PASSED : ExitCodes.TESTS_FAILED;
        }
    }

    static RunSpec spec(Source source, Path app) {
        return new RunSpec(source, TEST_COMMAND, null, app.toString(), Map.of(), JUNIT, null, null,
                Map.of("demo", "guestbook"));
    }

    static String summary(RunStatus run) {
        return run.phase() + (run.tests() == null ? "" : " (" + run.tests().summary() + ")");
    }

    private static Path defaultGuestbook() {
        String repo = System.getenv("SNAPCI_REPO");
        return Path.of(repo == null ? "." : repo, "examples", "guestbook");
    }

    /** The demo starts from nothing each time; it only ever deletes a directory it marked as its own. */
    private static void resetDemoDir(Path root) throws IOException {
        if (Files.exists(root)) {
            if (!Files.isRegularFile(root.resolve(DEMO_MARKER))) {
                throw new IllegalStateException(root + " exists but was not made by snapci demo; move it away");
            }
            try (Stream<Path> walk = Files.walk(root)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        Files.createDirectories(root);
        Files.writeString(root.resolve(DEMO_MARKER), "made by snapci demo; deleted and remade by each demo run\n");
    }
}
