package io.snapci.examples.guestbook;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The guestbook's API against a real Cassandra: the one the environment names ({@code CASSANDRA_HOST},
 * {@code CASSANDRA_PORT}, {@code CASSANDRA_DC}). The tests apply the schema, write their fixtures (fixed ids, so a
 * re-run overwrites them) and sign the guestbook once per run: run them against a database you may write to.
 */
class GuestbookApiTest {

    /** The test suite's own entries: everyday ASCII text, fixed ids and dates. */
    static final List<Entry> FIXTURES = List.of(
            fixture("6f1c2b0e-0001-4000-8000-000000000001", "Alice", "What a lovely evening, thank you",
                    "2024-05-01T18:30:00Z"),
            fixture("6f1c2b0e-0002-4000-8000-000000000002", "Bob", "Great food and even better music",
                    "2024-05-02T12:05:00Z"),
            fixture("6f1c2b0e-0003-4000-8000-000000000003", "Carol", "See you next year",
                    "2024-05-03T09:45:30Z"),
            fixture("6f1c2b0e-0004-4000-8000-000000000004", "Dave", "The band was excellent",
                    "2024-05-04T21:10:00Z"),
            fixture("6f1c2b0e-0005-4000-8000-000000000005", "Erin", "Came for the cake, stayed for the people",
                    "2024-05-05T16:20:15.250Z"));

    private static final Set<String> FIELDS = Set.of("id", "author", "message", "signedAt");

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private static CqlSession session;
    private static GuestbookApp app;
    private static HttpClient http;

    @BeforeAll
    static void startGuestbook() throws Exception {
        session = Cassandra.fromEnvironment().connect();
        Cassandra.applySchema(session);
        EntryRepository entries = new EntryRepository(session);
        FIXTURES.forEach(entries::save);
        app = GuestbookApp.start(entries, 0);
        http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    }

    @AfterAll
    static void stopGuestbook() {
        if (app != null) {
            app.close();
        }
        if (session != null) {
            session.close();
        }
    }

    @Test
    void getEntriesIsValidJsonListingEveryRowOfTheTable() throws Exception {
        List<Entry> table = selectAll();
        JsonNode listed = getEntries();

        Map<UUID, JsonNode> byId = byId(listed);
        assertEquals(table.size(), listed.size(), "GET /entries returned " + listed.size()
                + " entries, but guestbook.entries holds " + table.size() + " rows");
        for (Entry row : table) {
            JsonNode entry = byId.get(row.id());
            assertNotNull(entry, "GET /entries does not list the " + describe(row));
            assertShows(row, "author", row.author(), text(entry, "author"));
            assertShows(row, "message", row.message(), text(entry, "message"));
        }
    }

    @Test
    void postedEntryIsListedByGet() throws Exception {
        String author = "Test Runner";
        String message = "Signed by the test suite, run " + UUID.randomUUID();
        HttpResponse<String> posted = http.send(HttpRequest.newBuilder(uri())
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(
                                MAPPER.writeValueAsString(Map.of("author", author, "message", message))))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(201, posted.statusCode(), "POST /entries answered: " + posted.body());
        UUID id = UUID.fromString(MAPPER.readTree(posted.body()).path("id").asText());

        JsonNode entry = byId(getEntries()).get(id);
        assertNotNull(entry, "GET /entries does not list the entry just posted (id " + id + ")");
        assertEquals(author, text(entry, "author"));
        assertEquals(message, text(entry, "message"));
        assertTrue(entry.path("signedAt").isTextual(), "the posted entry has no signedAt: " + entry);
    }

    @Test
    void fixturesAreListedInTheNewFormat() throws Exception {
        Map<UUID, JsonNode> byId = byId(getEntries());
        for (Entry fixture : FIXTURES) {
            JsonNode entry = byId.get(fixture.id());
            assertNotNull(entry, "GET /entries does not list the fixture " + describe(fixture));
            Set<String> fields = new LinkedHashSet<>();
            entry.fieldNames().forEachRemaining(fields::add);
            assertEquals(FIELDS, fields, "fields of the fixture " + describe(fixture));
            assertEquals(fixture.id().toString(), text(entry, "id"));
            assertEquals(fixture.author(), text(entry, "author"));
            assertEquals(fixture.message(), text(entry, "message"));
            assertEquals(fixture.signedAt().toString(), text(entry, "signedAt"),
                    "signedAt of the fixture " + describe(fixture) + " as an ISO-8601 instant");
            assertEquals(fixture.signedAt(), Instant.parse(text(entry, "signedAt")));
        }
    }

    // ---------------------------------------------------------------------------------------------------------

    /** A field of a row as GET /entries shows it must be the text the table holds. */
    private static void assertShows(Entry row, String field, String inTable, String shown) {
        if (!Objects.equals(inTable, shown)) {
            fail("GET /entries shows the " + field + " of the " + describe(row) + " as " + quoted(shown)
                    + " -- " + whatNeedsEscaping(row));
        }
    }

    /** GET /entries, parsed; if it is not valid JSON, fails naming the entry that broke it and why. */
    private static JsonNode getEntries() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri()).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), "GET /entries answered: " + response.body());
        String contentType = response.headers().firstValue("Content-Type").orElse("");
        assertTrue(contentType.startsWith("application/json"), "GET /entries has Content-Type " + contentType);
        JsonNode list;
        try {
            list = MAPPER.readTree(response.body());
        } catch (JsonProcessingException e) {
            return fail(explainInvalidJson(response.body(), e), e);
        }
        assertTrue(list != null && list.isArray(), "GET /entries did not return a JSON array: " + list);
        return list;
    }

    /**
     * Why the body is not JSON. Renders each row of the table alone through the same renderer: the first one that
     * does not parse is the entry that broke the output.
     */
    private static String explainInvalidJson(String body, JsonProcessingException error) {
        for (Entry row : selectAll()) {
            String alone = EntriesJson.render(row);
            try {
                MAPPER.readTree(alone);
            } catch (JsonProcessingException e) {
                return "GET /entries returned invalid JSON: " + describe(row) + " renders as " + visible(alone)
                        + " -- " + whatNeedsEscaping(row) + ". Jackson: " + e.getOriginalMessage() + at(e);
            }
        }
        long offset = error.getLocation() == null ? -1 : error.getLocation().getCharOffset();
        return "GET /entries returned invalid JSON, though every entry alone renders as valid JSON: "
                + error.getOriginalMessage() + at(error) + ", near: " + excerpt(body, offset);
    }

    /** The characters of an entry that a JSON string must escape, said in words. */
    private static String whatNeedsEscaping(Entry entry) {
        List<String> problems = new ArrayList<>();
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("author", entry.author());
        fields.put("message", entry.message());
        fields.forEach((name, value) -> {
            Set<String> found = new LinkedHashSet<>();
            if (value != null) {
                value.chars().forEach(c -> {
                    if (c == '"') {
                        found.add("a double quote (\")");
                    } else if (c == '\\') {
                        found.add("a backslash (\\)");
                    } else if (c < 0x20) {
                        found.add("a control character (" + controlName(c) + ")");
                    }
                });
            }
            if (!found.isEmpty()) {
                problems.add("its " + name + " contains " + String.join(" and ", found));
            }
        });
        return problems.isEmpty() ? "it does not survive the renderer"
                : String.join(", ", problems) + ", which a JSON string must escape, and the output does not";
    }

    private static String controlName(int c) {
        return switch (c) {
            case '\n' -> "newline, U+000A";
            case '\r' -> "carriage return, U+000D";
            case '\t' -> "tab, U+0009";
            default -> String.format("U+%04X", c);
        };
    }

    private static String at(JsonProcessingException e) {
        JsonLocation location = e.getLocation();
        return location == null ? "" : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    }

    private static String excerpt(String body, long offset) {
        if (offset < 0) {
            return visible(body.length() > 200 ? body.substring(0, 200) + "..." : body);
        }
        int at = (int) Math.min(offset, body.length());
        int from = Math.max(0, at - 80);
        int to = Math.min(body.length(), at + 40);
        return (from > 0 ? "..." : "") + visible(body.substring(from, to)) + (to < body.length() ? "..." : "");
    }

    /** "entry by 'Zoë' (message: '...', id ...)", on one line: control characters are shown as {@code <LF>} etc. */
    private static String describe(Entry entry) {
        return "entry by " + quoted(entry.author()) + " (message: " + quoted(entry.message()) + ", id " + entry.id()
                + ")";
    }

    private static String quoted(String s) {
        return s == null ? "null" : "'" + visible(s) + "'";
    }

    private static String visible(String s) {
        StringBuilder out = new StringBuilder(s.length());
        s.chars().forEach(c -> {
            switch (c) {
                case '\n' -> out.append("<LF>");
                case '\r' -> out.append("<CR>");
                case '\t' -> out.append("<TAB>");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("<U+%04X>", c));
                    } else {
                        out.append((char) c);
                    }
                }
            }
        });
        return out.toString();
    }

    /** Every row of guestbook.entries, read straight from the table (the driver pages through it). */
    private static List<Entry> selectAll() {
        List<Entry> rows = new ArrayList<>();
        for (Row row : session.execute("SELECT id, author, message, signed_at FROM guestbook.\"entries\"")) {
            rows.add(EntryRepository.fromRow(row));
        }
        return rows;
    }

    private static Map<UUID, JsonNode> byId(JsonNode list) {
        Map<UUID, JsonNode> byId = new HashMap<>();
        for (Iterator<JsonNode> it = list.elements(); it.hasNext(); ) {
            JsonNode entry = it.next();
            assertTrue(entry.isObject(), "GET /entries lists something that is not an entry: " + entry);
            UUID id;
            try {
                id = UUID.fromString(entry.path("id").asText());
            } catch (IllegalArgumentException e) {
                return fail("GET /entries lists an entry without a valid id: " + entry);
            }
            JsonNode previous = byId.put(id, entry);
            assertTrue(previous == null, "GET /entries lists id " + id + " twice: " + previous + " and " + entry);
        }
        return byId;
    }

    private static String text(JsonNode entry, String field) {
        JsonNode value = entry.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static URI uri() {
        return URI.create("http://127.0.0.1:" + app.port() + "/entries");
    }

    private static Entry fixture(String id, String author, String message, String signedAt) {
        return new Entry(UUID.fromString(id), author, message, Instant.parse(signedAt));
    }
}
