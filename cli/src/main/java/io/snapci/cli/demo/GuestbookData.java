package io.snapci.cli.demo;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.BatchStatementBuilder;
import com.datastax.oss.driver.api.core.cql.DefaultBatchType;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * Production's guestbook: months of ordinary entries, and the one a user typed last night with a character the
 * new output format does not survive. The schema comes from the guestbook's own schema.cql.
 */
public final class GuestbookData {

    public static final String BAD_AUTHOR = "Zoë";
    public static final String BAD_MESSAGE = "Loved the \"open mic\" night!";

    private static final List<String> AUTHORS = List.of("Ana", "Bjørn", "Chen Wei", "Dmitri", "Émile", "Fatima",
            "Giulia", "Hiro", "Ingrid", "José", "Kwame", "Lena", "Mateo", "Nadia", "Olu", "Priya");
    private static final List<String> MESSAGES = List.of("Great place, will come back", "Thanks for the coffee",
            "Lovely staff", "Best brunch in town", "Came for the music, stayed for the cake",
            "See you next summer", "Happy birthday Sam", "10/10 would sign again");

    private GuestbookData() {
    }

    public static void createSchema(CqlSession session, Path schemaCql) throws IOException {
        String text = Files.readString(schemaCql, StandardCharsets.UTF_8);
        Arrays.stream(text.split(";")).map(String::strip).filter(s -> !s.isEmpty() && !isComment(s))
                .forEach(session::execute);
    }

    private static boolean isComment(String statement) {
        return statement.lines().allMatch(l -> l.isBlank() || l.strip().startsWith("--") || l.strip().startsWith("//"));
    }

    /** Inserts {@code ordinary} everyday entries and the bad one; returns how many rows were written. */
    public static int load(CqlSession session, int ordinary) {
        return load(session, ordinary, UUID.randomUUID());
    }

    /** {@link #load(CqlSession, int)} with the bad entry under {@code badId} (which decides the nodes it lives on). */
    public static int load(CqlSession session, int ordinary, UUID badId) {
        PreparedStatement insert = session.prepare(
                "INSERT INTO guestbook.\"entries\" (id, author, message, signed_at) VALUES (?, ?, ?, ?)");
        Random random = new Random(42);
        Instant start = Instant.parse("2026-06-01T08:00:00Z");
        BatchStatementBuilder batch = BatchStatement.builder(DefaultBatchType.UNLOGGED);
        for (int i = 0; i < ordinary; i++) {
            batch.addStatement(insert.bind(new UUID(random.nextLong(), random.nextLong()),
                    AUTHORS.get(random.nextInt(AUTHORS.size())), MESSAGES.get(random.nextInt(MESSAGES.size())),
                    start.plusSeconds(3600L * i)));
            if (batch.getStatementsCount() == 50) {
                session.execute(batch.build());
                batch = BatchStatement.builder(DefaultBatchType.UNLOGGED);
            }
        }
        batch.addStatement(insert.bind(badId, BAD_AUTHOR, BAD_MESSAGE, Instant.now()));
        session.execute(batch.build());
        return ordinary + 1;
    }

    public static long count(CqlSession session) {
        // Counted here rather than with count(*), which Cassandra warns about on a whole table.
        return session.execute("SELECT id FROM guestbook.\"entries\"").all().size();
    }

    public static boolean hasBadEntry(CqlSession session) {
        return session.execute("SELECT author, message FROM guestbook.\"entries\"").all().stream()
                .anyMatch(r -> BAD_AUTHOR.equals(r.getString("author")) && BAD_MESSAGE.equals(r.getString("message")));
    }
}
