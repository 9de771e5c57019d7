package io.snapci.tests.mask;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import io.snapci.cli.ProgressPrinter;
import io.snapci.cli.RunCommand;
import io.snapci.model.Phase;
import io.snapci.model.RunSpec;
import io.snapci.model.RunStatus;
import io.snapci.model.Source;
import io.snapci.model.mask.MaskRules;
import io.snapci.scheduler.local.LocalMode;
import io.snapci.tests.support.LeftoverProcesses;
import io.snapci.tests.support.Snapci;
import io.snapci.tests.support.SourceNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The guestbook's production data with people in it (authors' e-mail addresses and phone numbers, a customer table
 * keyed by e-mail): a masked run's copy answers with no original value and holds none in any file, the same e-mail
 * masks to the same value in both tables, and the guestbook's tests still fail on Zoë's quote.
 */
class MaskingStoryTest {

    static final UUID SHARED_ENTRY = UUID.fromString("00000000-0000-4000-8000-00000000beef");
    static final int SHARED_CUSTOMER = 7;
    private static final String SHARED_EMAIL = "zoe.shared.person@mailhost.example.org";

    static final String RULES = """
            # the guestbook: the words go, the characters that break renderers stay
            guestbook.entries.author: keep-chars
            guestbook.entries.message: keep-chars
            guestbook.entries.author_email: email
            guestbook.entries.author_phone: phone
            # the CRM: keyed by e-mail, so masking rewrites each row under its new key
            crm.customers.email: email
            crm.customers.name: name
            crm.customers.phone: phone
            delete crm.customers where name = 'Internal Test Account'
            """;

    @TempDir
    static Path dir;
    private static SourceNode production;
    private static Path home;
    private static final List<String> originals = new ArrayList<>();

    @BeforeAll
    static void production() throws Exception {
        home = dir.resolve("production");
        production = SourceNode.start(home, dir.resolve("production-node"));
        try (CqlSession session = production.connect()) {
            session.execute("CREATE KEYSPACE guestbook WITH replication = {'class': 'SimpleStrategy', "
                    + "'replication_factor': 1}");
            session.execute("CREATE TABLE guestbook.\"entries\" (id uuid PRIMARY KEY, author text, message text, "
                    + "signed_at timestamp, author_email text, author_phone text)");
            session.execute("CREATE KEYSPACE crm WITH replication = {'class': 'SimpleStrategy', "
                    + "'replication_factor': 1}");
            session.execute("CREATE TABLE crm.customers (email text PRIMARY KEY, customer_id int, name text, "
                    + "phone text)");
            PreparedStatement entry = session.prepare("INSERT INTO guestbook.\"entries\" (id, author, message, "
                    + "signed_at, author_email, author_phone) VALUES (?, ?, ?, toTimestamp(now()), ?, ?)");
            PreparedStatement customer = session.prepare(
                    "INSERT INTO crm.customers (email, customer_id, name, phone) VALUES (?, ?, ?, ?)");
            for (int i = 0; i < 200; i++) {
                String email = "guest" + i + ".realname@mailhost.example.org";
                String phone = String.format("+44 20 7946 %04d", i);
                String message = "Brunch number " + i + " was wonderful, Hildegard";
                session.execute(entry.bind(new UUID(1, i), "Bartholomew" + i, message, email, phone));
                originals.addAll(List.of(email, phone, message, "Bartholomew" + i));
            }
            session.execute(entry.bind(SHARED_ENTRY, "Zoë", "Loved the \"open mic\" night!", SHARED_EMAIL,
                    "+33 1 70 36 99 42"));
            originals.addAll(List.of(SHARED_EMAIL, "open mic", "+33 1 70 36 99 42"));
            for (int i = 0; i < 100; i++) {
                String email = i == SHARED_CUSTOMER ? SHARED_EMAIL : "customer" + i + ".private@crm.example.net";
                String name = "Ottoline Vanderbeek-" + i;
                String phone = String.format("+1 415 555 %04d", i);
                session.execute(customer.bind(email, i, name, phone));
                originals.addAll(List.of(email, name, phone));
            }
            session.execute(customer.bind("qa-bot@internal.example.net", 999, "Internal Test Account", "0"));
            originals.add("qa-bot@internal.example.net");
        }
        production.flush("guestbook");
        production.flush("crm");
    }

    @AfterAll
    static void stop() {
        if (production != null) {
            production.close();
        }
    }

    @Test
    void aMaskedCopyHoldsNoOriginalAnywhereAndStillFailsOnZoesQuote() throws Exception {
        Path workRoot = dir.resolve("work");
        Path originalsFile = dir.resolve("originals.txt");
        Files.write(originalsFile, originals, StandardCharsets.UTF_8);
        Path report = dir.resolve("inspection.txt");
        String command = Snapci.javaBinary() + " -cp '" + Snapci.testClasspath() + "' "
                + CopyInspection.class.getName() + " " + workRoot.resolve("clones") + "/$SNAPCI_RUN_ID "
                + originalsFile + " " + report + " && mvn -B -q test";
        Path app = Snapci.repoRoot().resolve("examples/guestbook");
        RunSpec spec = new RunSpec(Source.dataDir(home.toString()), command, null, app.toString(), Map.of(),
                "target/surefire-reports/*.xml", null, null, Map.of(), MaskRules.parse(RULES));

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        LocalMode local = new LocalMode(workRoot, Snapci.cassandraRuntime(), app, Clock.systemUTC());
        RunStatus run = RunCommand.runToEnd(local, spec, new ProgressPrinter(
                new PrintStream(out, true, StandardCharsets.UTF_8), System.err));
        String progress = out.toString(StandardCharsets.UTF_8);
        System.out.println(progress);

        assertThat(run.history()).extracting(h -> h.phase())
                .containsSubsequence(Phase.STARTING_CASSANDRA, Phase.MASKING, Phase.TESTING);
        assertThat(progress).contains("masked crm.customers").contains("compacting");
        List<String> lines = Files.readAllLines(report, StandardCharsets.UTF_8);
        assertThat(lines).as("what the copy answered and held").isNotEmpty()
                .noneMatch(l -> l.startsWith("CQL-HIT") || l.startsWith("FILE-HIT"));
        assertThat(lines).contains("ROWS entries 201", "ROWS customers 100");
        String entryEmail = value(lines, "ENTRY-EMAIL ");
        assertThat(entryEmail).matches("user-[0-9a-f]{10}@example\\.com").isEqualTo(value(lines, "CUSTOMER-EMAIL "));
        assertThat(value(lines, "MESSAGE ")).as("Zoë's entry, masked").contains("ë").contains("\"")
                .doesNotContain("open mic");

        assertThat(run.phase()).as(run.message()).isEqualTo(Phase.FAILED);
        assertThat(run.message()).contains("ë");
        assertThat(leftInLogs(workRoot.resolve("runs"))).as("originals in the run's logs").isEmpty();
        assertThat(LeftoverProcesses.mentioning(workRoot)).as("processes of the run left").isEmpty();
    }

    private static String value(List<String> lines, String prefix) {
        return lines.stream().filter(l -> l.startsWith(prefix)).map(l -> l.substring(prefix.length()))
                .findFirst().orElseThrow(() -> new AssertionError("no " + prefix + "in " + lines));
    }

    private static List<String> leftInLogs(Path runs) throws Exception {
        List<String> hits = new ArrayList<>();
        try (Stream<Path> files = Files.walk(runs)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                byte[] bytes = Files.readAllBytes(file);
                for (String original : originals) {
                    if (CopyInspection.indexOf(bytes, original.getBytes(StandardCharsets.UTF_8)) >= 0) {
                        hits.add(original + " in " + file);
                    }
                }
            }
        }
        return hits;
    }
}
