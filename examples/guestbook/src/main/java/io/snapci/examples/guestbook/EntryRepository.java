package io.snapci.examples.guestbook;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

/**
 * The guestbook's entries in Cassandra: table {@code guestbook."entries"}, always quoted, as ENTRIES is a reserved
 * word in CQL.
 */
public final class EntryRepository {

    /** Newest first; entries without a date last. */
    private static final Comparator<Entry> NEWEST_FIRST = Comparator
            .comparing(Entry::signedAt, Comparator.nullsFirst(Comparator.<Instant>naturalOrder()))
            .reversed()
            .thenComparing(Entry::id);

    private final CqlSession session;
    private final PreparedStatement selectAll;
    private final PreparedStatement insert;

    public EntryRepository(CqlSession session) {
        this.session = session;
        this.selectAll = session.prepare("SELECT id, author, message, signed_at FROM guestbook.\"entries\"");
        this.insert = session.prepare(
                "INSERT INTO guestbook.\"entries\" (id, author, message, signed_at) VALUES (?, ?, ?, ?)");
    }

    /** Every entry, newest first. The driver pages through the table by itself. */
    public List<Entry> findAll() {
        List<Entry> entries = new ArrayList<>();
        for (Row row : session.execute(selectAll.bind())) {
            entries.add(fromRow(row));
        }
        entries.sort(NEWEST_FIRST);
        return entries;
    }

    /** Signs the guestbook now; returns the new entry. */
    public Entry add(String author, String message) {
        // Cassandra keeps timestamps to the millisecond: return what a read will return.
        Entry entry = new Entry(UUID.randomUUID(), author, message, Instant.now().truncatedTo(ChronoUnit.MILLIS));
        save(entry);
        return entry;
    }

    /** Writes an entry with its own id (an existing id is overwritten). */
    public void save(Entry entry) {
        session.execute(insert.bind(entry.id(), entry.author(), entry.message(), entry.signedAt()));
    }

    public static Entry fromRow(Row row) {
        return new Entry(row.getUuid("id"), row.getString("author"), row.getString("message"),
                row.getInstant("signed_at"));
    }
}
