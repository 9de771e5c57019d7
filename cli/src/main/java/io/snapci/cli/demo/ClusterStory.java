package io.snapci.cli.demo;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.ProtocolVersion;
import com.datastax.oss.driver.api.core.type.codec.TypeCodecs;
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

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.function.BiFunction;
import java.util.stream.IntStream;

/**
 * {@code snapci demo --nodes N}: the guestbook story on a production cluster of N nodes at replication factor 2,
 * where Zoë's entry lives on the second and third nodes only. A copy of the first node alone passes the tests
 * (the entry is not in it); a copy of the whole cluster, one test node that sees every row, catches the bug.
 */
final class ClusterStory {

    static final int REPLICATION = 2;
    private static final String KEYSPACE = "guestbook";

    private final int nodes;
    private final int entries;
    private final BiFunction<Source, Path, RunSpec> spec;

    ClusterStory(int nodes, int entries, BiFunction<Source, Path, RunSpec> spec) {
        this.nodes = nodes;
        this.entries = entries;
        this.spec = spec;
    }

    int run(Path root, Path app, CassandraRuntime runtime, ProgressPrinter printer) throws Exception {
        printer.note("== 1/5 Production: a guestbook on a " + nodes + "-node Cassandra cluster (replication factor "
                + REPLICATION + "), running, with " + entries + " entries ==");
        try (ProductionCluster prod = ProductionCluster.start(runtime, root.resolve("production"),
                "guestbook-production", nodes)) {
            UUID badId;
            try (CqlSession session = prod.connect()) {
                GuestbookData.createSchema(session, app.resolve("src/main/resources/schema.cql"));
                session.execute("ALTER KEYSPACE " + KEYSPACE + " WITH replication = {'class': 'SimpleStrategy', "
                        + "'replication_factor': " + REPLICATION + "}");
                session.checkSchemaAgreement();
                session.refreshSchema();
                badId = idLivingOn(session, Set.of(2, 3));
                int rows = GuestbookData.load(session, entries, badId);
                printer.note("production holds " + rows + " entries; last night " + GuestbookData.BAD_AUTHOR
                        + " signed: " + GuestbookData.BAD_MESSAGE + " (on nodes "
                        + ProductionCluster.replicas(session, KEYSPACE, key(badId)) + " only)");
            }
            prod.flush("system", "system_schema", KEYSPACE);
            List<Path> homes = prod.homes();
            printer.note("nodetool flush on every node (they keep running); production data: " + homes);
            List<DirectoryFingerprint> before = new ArrayList<>();
            for (Path home : homes) {
                before.add(DirectoryFingerprint.of(home.resolve("data").resolve(KEYSPACE)));
            }

            LocalMode local = new LocalMode(root.resolve("work"), runtime, app, Clock.systemUTC());
            printer.note("== 2/5 CI as it was: the tests on their own fixtures, on an empty Cassandra ==");
            RunStatus fixtures = RunCommand.runToEnd(local, spec.apply(null, app), printer);
            printer.note("on fixtures: " + DemoCommand.summary(fixtures));

            printer.note("== 3/5 A copy of the first node alone: what copying one node's volume gives ==");
            RunStatus firstNode = RunCommand.runToEnd(local, spec.apply(Source.dataDir(homes.get(0).toString()),
                    app), printer);
            printer.note("on node 1's data alone: " + DemoCommand.summary(firstNode) + " - "
                    + GuestbookData.BAD_AUTHOR + "'s entry is not on node 1, so the tests never see it");

            printer.note("== 4/5 CI with snapci: the same tests on a copy of the whole cluster, one test node ==");
            RunStatus cluster = RunCommand.runToEnd(local, spec.apply(Source.dataDirs(homes.stream()
                    .map(Path::toString).toList()), app), printer);
            printer.note("on the whole cluster's data: " + DemoCommand.summary(cluster));

            printer.note("== 5/5 Production after the runs ==");
            List<String> changes = new ArrayList<>();
            for (int i = 0; i < homes.size(); i++) {
                changes.addAll(DirectoryFingerprint.of(homes.get(i).resolve("data").resolve(KEYSPACE))
                        .differencesFrom(before.get(i)));
            }
            long count;
            boolean badStillThere;
            try (CqlSession session = prod.connect()) {
                count = GuestbookData.count(session);
                badStillThere = GuestbookData.hasBadEntry(session);
            }
            printer.note("production's guestbook files on " + nodes + " nodes: " + (changes.isEmpty()
                    ? "identical before and after (SHA-256, inode, size, mtime)" : "CHANGED: " + changes));
            printer.note("production still answers with " + count + " entries: the " + (entries + 1)
                    + " it had, none the tests wrote");
            boolean told = fixtures.phase() == Phase.PASSED && firstNode.phase() == Phase.PASSED
                    && cluster.phase() == Phase.FAILED && changes.isEmpty() && count == entries + 1 && badStillThere
                    && fixtures.cleanedUp() && firstNode.cleanedUp() && cluster.cleanedUp();
            printer.note(told ? "A copy of one node passed: the row that breaks the site was on the other nodes."
                    + " The copy of the whole cluster caught the bug; production was never written."
                    : "The demo did not go as told: see the lines above.");
            return told ? ExitCodes.PASSED : ExitCodes.TESTS_FAILED;
        }
    }

    /** A fresh id whose partition the ring puts on exactly {@code wanted}. */
    private static UUID idLivingOn(CqlSession session, Set<Integer> wanted) {
        Random random = new Random();
        return IntStream.range(0, 10_000).mapToObj(i -> new UUID(random.nextLong(), random.nextLong()))
                .filter(id -> ProductionCluster.replicas(session, KEYSPACE, key(id)).equals(wanted))
                .findFirst().orElseThrow(() -> new IllegalStateException("no id found that lives on nodes " + wanted
                        + " only: the ring does not place replicas there"));
    }

    private static java.nio.ByteBuffer key(UUID id) {
        return TypeCodecs.UUID.encode(id, ProtocolVersion.DEFAULT);
    }
}
