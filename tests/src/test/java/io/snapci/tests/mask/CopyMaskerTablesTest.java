package io.snapci.tests.mask;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.type.DataTypes;
import io.snapci.executor.mask.CopyMasker;
import io.snapci.executor.mask.ValueMasker;
import io.snapci.model.ExecutionListener;
import io.snapci.model.mask.MaskHash;
import io.snapci.model.mask.MaskRules;
import io.snapci.tests.support.SourceNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What {@link CopyMasker} does to tables shaped unlike the guestbook's, on a real node (one boot for the class):
 * static columns, partitions longer than a page, rows moved to new partition keys, and values masked to null.
 */
class CopyMaskerTablesTest {

    private static final String KEY = "copy-masker-tables-test-key-0123";
    /** More rows a partition than one page of the masker's scan (1000): a partition is read in several pages. */
    private static final int ROWS = 1_500;

    @TempDir
    static Path dir;
    private static SourceNode node;
    private static CqlSession session;
    private static final ValueMasker EXPECTED = new ValueMasker(MaskHash.ofSecret(KEY));

    @BeforeAll
    static void boot() throws Exception {
        node = SourceNode.start(dir.resolve("home"), dir.resolve("conf"));
        session = node.connect();
        session.execute("CREATE KEYSPACE shop WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
    }

    @AfterAll
    static void stop() {
        if (session != null) {
            session.close();
        }
        if (node != null) {
            node.close();
        }
    }

    private static long mask(String rules) {
        return new CopyMasker(session, MaskHash.ofSecret(KEY), new ExecutionListener() { }, () -> false)
                .mask(MaskRules.parse(rules));
    }

    private static String masked(String rule, String value) {
        return (String) EXPECTED.mask(MaskRules.parse(rule).rules().get(0), DataTypes.TEXT, value);
    }

    @Test
    void aStaticColumnIsMaskedOncePerPartitionNotAgainOnEachPage() {
        session.execute("CREATE TABLE shop.orders (customer text, order_id int, customer_email text static, "
                + "note text, PRIMARY KEY (customer, order_id))");
        PreparedStatement insert = session.prepare("INSERT INTO shop.orders (customer, order_id, customer_email, "
                + "note) VALUES (?, ?, ?, ?)");
        for (String customer : List.of("c1", "c2")) {
            for (int i = 0; i < ROWS; i++) {
                session.execute(insert.bind(customer, i, customer + ".person@mail.example.org", "note " + i));
            }
        }

        mask("shop.orders.customer_email: email");

        for (String customer : List.of("c1", "c2")) {
            List<Row> rows = session.execute("SELECT order_id, customer_email, note FROM shop.orders WHERE "
                    + "customer = '" + customer + "'").all();
            assertThat(rows).hasSize(ROWS);
            assertThat(rows).extracting(r -> r.getString("customer_email")).as(customer).containsOnly(
                    masked("a.b.c: email", customer + ".person@mail.example.org"));
            assertThat(rows.get(ROWS - 1).getString("note")).isEqualTo("note " + (ROWS - 1));
        }
    }

    @Test
    void rowsMovedToAMaskedPartitionKeyTakeItsStaticsAlongAndLeaveNothingUnderTheOriginalKey() {
        session.execute("CREATE TABLE shop.accounts (email text, item int, owner text static, note text, "
                + "PRIMARY KEY (email, item))");
        PreparedStatement insert = session.prepare("INSERT INTO shop.accounts (email, item, owner, note) "
                + "VALUES (?, ?, ?, ?)");
        for (int p = 0; p < 2; p++) {
            for (int i = 0; i < ROWS; i++) {
                session.execute(insert.bind("owner" + p + "@private.example.org", i, "Owner Person " + p,
                        i % 2 == 0 ? null : "note " + i));
            }
        }

        mask("shop.accounts.email: email\nshop.accounts.owner: name");

        Map<String, Integer> rowsByKey = new HashMap<>();
        Map<String, String> ownerByKey = new HashMap<>();
        int nullNotes = 0;
        for (Row row : session.execute("SELECT email, item, owner, note FROM shop.accounts")) {
            rowsByKey.merge(row.getString("email"), 1, Integer::sum);
            ownerByKey.put(row.getString("email"), row.getString("owner"));
            nullNotes += row.getString("note") == null ? 1 : 0;
        }
        String p0 = masked("a.b.c: email", "owner0@private.example.org");
        String p1 = masked("a.b.c: email", "owner1@private.example.org");
        assertThat(rowsByKey).as("every row under its masked key, none under an original")
                .isEqualTo(Map.of(p0, ROWS, p1, ROWS));
        assertThat(ownerByKey).isEqualTo(Map.of(p0, masked("a.b.c: name", "Owner Person 0"),
                p1, masked("a.b.c: name", "Owner Person 1")));
        assertThat(nullNotes).as("nulls stay null").isEqualTo(ROWS);
        assertThat(session.execute("SELECT DISTINCT email FROM shop.accounts").all()).hasSize(2);
        assertThat(session.refreshSchema().getKeyspace("shop").orElseThrow().getTables().keySet())
                .as("the staging table is gone").noneMatch(t -> t.asInternal().startsWith("snapci_staging_"));
    }

    @Test
    void aPartitionThatHoldsOnlyStaticValuesMovesToItsMaskedPartitionKey() {
        session.execute("CREATE TABLE shop.wallets (email text, entry int, owner text static, amount int, "
                + "PRIMARY KEY (email, entry))");
        session.execute("INSERT INTO shop.wallets (email, entry, owner, amount) VALUES "
                + "('full@private.example.org', 1, 'Full Owner', 5)");
        // statics only: read back as one row whose clustering column is null
        session.execute("INSERT INTO shop.wallets (email, owner) VALUES ('static@private.example.org', 'Lone Owner')");

        mask("shop.wallets.email: email\nshop.wallets.owner: name");

        Map<String, String> ownerByKey = new HashMap<>();
        Map<String, Integer> entryByKey = new HashMap<>();
        for (Row row : session.execute("SELECT email, entry, owner FROM shop.wallets")) {
            ownerByKey.put(row.getString("email"), row.getString("owner"));
            entryByKey.put(row.getString("email"), row.isNull("entry") ? null : row.getInt("entry"));
        }
        String full = masked("a.b.c: email", "full@private.example.org");
        String lone = masked("a.b.c: email", "static@private.example.org");
        assertThat(ownerByKey).as("both partitions under their masked keys, none under an original").isEqualTo(
                Map.of(full, masked("a.b.c: name", "Full Owner"), lone, masked("a.b.c: name", "Lone Owner")));
        assertThat(entryByKey.get(full)).isEqualTo(1);
        assertThat(entryByKey).containsEntry(lone, null);
        assertThat(session.execute("SELECT DISTINCT email FROM shop.wallets").all()).hasSize(2);
    }

    @Test
    void aPartitionThatHoldsOnlyStaticValuesStaysWhereItIsWhenOnlyAClusteringKeyIsMasked() {
        session.execute("CREATE TABLE shop.ledger (account text, ref text, owner text static, "
                + "PRIMARY KEY (account, ref))");
        session.execute("INSERT INTO shop.ledger (account, ref, owner) VALUES ('a1', 'ref-secret-1', 'Owner One')");
        session.execute("INSERT INTO shop.ledger (account, owner) VALUES ('a2', 'Owner Two')");

        mask("shop.ledger.ref: hash\nshop.ledger.owner: name");

        Row a1 = session.execute("SELECT ref, owner FROM shop.ledger WHERE account = 'a1'").one();
        assertThat(a1.getString("ref")).isEqualTo(masked("a.b.c: hash", "ref-secret-1"));
        assertThat(a1.getString("owner")).isEqualTo(masked("a.b.c: name", "Owner One"));
        List<Row> a2 = session.execute("SELECT ref, owner FROM shop.ledger WHERE account = 'a2'").all();
        assertThat(a2).hasSize(1);
        assertThat(a2.get(0).isNull("ref")).as("still statics only").isTrue();
        assertThat(a2.get(0).getString("owner")).isEqualTo(masked("a.b.c: name", "Owner Two"));
    }

    @Test
    void aCellMaskedInPlaceKeepsItsTtlAndWriteTimeAndACollectionIsMaskedToo() {
        session.execute("CREATE TABLE shop.sessions (id int PRIMARY KEY, email text, phone text, aliases set<text>, "
                + "note text)");
        session.execute("INSERT INTO shop.sessions (id, email, phone, aliases, note) VALUES (1, "
                + "'expiring@private.example.org', '+1 415 555 0199', {'alias@private.example.org'}, 'n') "
                + "USING TTL 3600 AND TIMESTAMP 1000000");
        session.execute("UPDATE shop.sessions USING TIMESTAMP 2000000 SET phone = '+1 415 555 0100' WHERE id = 1");
        session.execute("INSERT INTO shop.sessions (id, email) VALUES (2, 'forever@private.example.org') "
                + "USING TIMESTAMP 3000000");

        mask("shop.sessions.email: email\nshop.sessions.phone: phone\nshop.sessions.aliases: email");

        Row expiring = session.execute("SELECT email, TTL(email), WRITETIME(email), phone, TTL(phone), "
                + "WRITETIME(phone), aliases, TTL(note), WRITETIME(note) FROM shop.sessions WHERE id = 1").one();
        assertThat(expiring.getString(0)).isEqualTo(masked("a.b.c: email", "expiring@private.example.org"));
        assertThat(expiring.getInt(1)).as("what was left of its TTL").isBetween(3000, 3600);
        assertThat(expiring.getLong(2)).as("its write time, one microsecond on").isEqualTo(1_000_001L);
        assertThat(expiring.getString(3)).isEqualTo(masked("a.b.c: phone", "+1 415 555 0100"));
        assertThat(expiring.isNull(4)).as("written later without a TTL: none").isTrue();
        assertThat(expiring.getLong(5)).isEqualTo(2_000_001L);
        assertThat(expiring.getSet(6, String.class))
                .containsExactly(masked("a.b.c: email", "alias@private.example.org"));
        assertThat(expiring.getInt(7)).as("an unmasked cell is untouched").isBetween(3000, 3600);
        assertThat(expiring.getLong(8)).isEqualTo(1_000_000L);
        Row forever = session.execute("SELECT email, TTL(email), WRITETIME(email) FROM shop.sessions WHERE id = 2")
                .one();
        assertThat(forever.getString(0)).isEqualTo(masked("a.b.c: email", "forever@private.example.org"));
        assertThat(forever.isNull(1)).isTrue();
        assertThat(forever.getLong(2)).isEqualTo(3_000_001L);
    }

    @Test
    void aValueMaskedToNullIsDeletedWhetherItsRowMovesOrStays() {
        session.execute("CREATE TABLE shop.people (email text PRIMARY KEY, phone text, note text)");
        session.execute("INSERT INTO shop.people (email, phone, note) VALUES ('moves@private.example.org', "
                + "'+1 415 555 0101', 'kept')");
        session.execute("CREATE TABLE shop.fixed (id text PRIMARY KEY, phone text)");
        session.execute("INSERT INTO shop.fixed (id, phone) VALUES ('REDACTED', '+1 415 555 0102')");

        mask("shop.people.email: email\nshop.people.phone: null\nshop.fixed.id: redact\nshop.fixed.phone: null");

        Row moved = session.execute("SELECT email, phone, note FROM shop.people").one();
        assertThat(moved.getString("email")).isEqualTo(masked("a.b.c: email", "moves@private.example.org"));
        assertThat(moved.getString("phone")).isNull();
        assertThat(moved.getString("note")).isEqualTo("kept");
        Row stayed = session.execute("SELECT id, phone FROM shop.fixed").one();
        assertThat(stayed.getString("id")).as("the key masks to itself: the row is rewritten in place")
                .isEqualTo("REDACTED");
        assertThat(stayed.getString("phone")).isNull();
    }
}
