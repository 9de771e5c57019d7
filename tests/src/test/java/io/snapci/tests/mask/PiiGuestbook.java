package io.snapci.tests.mask;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import io.snapci.tests.support.LeftoverProcesses;
import io.snapci.tests.support.SourceNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The guestbook's production data with people in it, shared by the masking stories of the JVM (a local and a cluster
 * run mask the same data): authors' e-mail addresses and phone numbers, a customer table keyed by e-mail, one e-mail
 * in both tables, Zoë's quote, an internal test account. One running node, flushed; tests only read its home (a run
 * copies it); it stops when the JVM ends.
 */
public final class PiiGuestbook {

    public static final UUID SHARED_ENTRY = UUID.fromString("00000000-0000-4000-8000-00000000beef");
    static final int SHARED_CUSTOMER = 7;
    /** The e-mail address in both tables (an entry's author and a customer). */
    public static final String SHARED_EMAIL = "zoe.shared.person@mailhost.example.org";

    /** What a masked run applies: the words go, the characters that break renderers stay. */
    public static final String RULES = """
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

    private static PiiGuestbook shared;

    private final Path home;
    private final List<String> originals;

    private PiiGuestbook(Path home, List<String> originals) {
        this.home = home;
        this.originals = Collections.unmodifiableList(originals);
    }

    /** The one production of this JVM, started on first use. */
    public static synchronized PiiGuestbook get() throws Exception {
        if (shared == null) {
            Path dir = Files.createTempDirectory("snapci-pii-guestbook");
            LeftoverProcesses.sharedFixture(dir);
            Path home = dir.resolve("production");
            SourceNode production = SourceNode.start(home, dir.resolve("production-node"));
            Runtime.getRuntime().addShutdownHook(new Thread(production::close, "pii-guestbook-stop"));
            shared = new PiiGuestbook(home, write(production));
        }
        return shared;
    }

    private static List<String> write(SourceNode production) throws Exception {
        List<String> originals = new ArrayList<>();
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
        return originals;
    }

    /** The production node's Cassandra home: what a run copies. */
    public Path home() {
        return home;
    }

    /** Every original value a masked copy must hold nowhere. */
    public List<String> originals() {
        return originals;
    }

    /** The originals, one a line, in a file for {@link CopyInspection}. */
    public Path originalsFile(Path dir) throws IOException {
        return Files.write(dir.resolve("originals.txt"), originals, StandardCharsets.UTF_8);
    }

    /** The originals found in any file under {@code root} (a run's logs, say), with where. */
    public List<String> foundUnder(Path root) throws IOException {
        return new NeedleScan(originals).foundUnder(root);
    }

    /** A line of a {@link CopyInspection} report, after its prefix. */
    static String reported(List<String> lines, String prefix) {
        return lines.stream().filter(l -> l.startsWith(prefix)).map(l -> l.substring(prefix.length()))
                .findFirst().orElseThrow(() -> new AssertionError("no " + prefix + "in " + lines));
    }
}
