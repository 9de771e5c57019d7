package io.snapci.scheduler.core.state;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.snapci.model.Json;
import io.snapci.model.RunStatus;

import java.io.IOException;

/**
 * The JSON of every record a store keeps (runs in a file or a znode, snapshot schedules): the model's JSON with the
 * record's {@value #VERSION_FIELD} first, e.g. {@code {"schemaVersion":"1.0","id":"r20261125-061253-4f2a",...}}.
 *
 * <p>Stores outlive a snapci version: after a rollback, an older snapci reads what a newer one wrote. So the reader
 * here is lenient where the REST API is strict (the API refuses unknown fields in a request, so that a typo is an
 * error; {@link Json#mapper()} stays that way): fields it does not know, at any depth, are ignored, which is all a
 * newer minor version may add ({@link SchemaVersion}). A record of a newer <em>major</em> version is not read at
 * all ({@link NewerSchemaException}): guessing at a layout this snapci does not know could misread a run's phase or
 * its copy, and saving such a guess back would destroy the newer process's record. The stores therefore leave such
 * a record exactly as it is: listings and pages leave it out (so nothing resumes it, and retention never deletes
 * it), and asking for that one run fails with a message that says to upgrade. Rolling forward again finds it intact.
 */
public final class StoredRecords {

    /** The version this snapci writes: the one place it is defined. Raise it by {@link SchemaVersion}'s rule. */
    public static final SchemaVersion CURRENT = new SchemaVersion(1, 1);  // 1.1: a run records its dataTakenAt

    /** Reserved in every record: no stored type may have a field of this name. */
    public static final String VERSION_FIELD = "schemaVersion";

    private static final ObjectMapper WRITER = Json.mapper();
    private static final ObjectMapper READER = Json.mapper().copy()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private StoredRecords() {
    }

    /** The record's JSON with the current schema version. */
    public static byte[] write(Object record) throws IOException {
        JsonNode body = WRITER.valueToTree(record);
        if (!(body instanceof ObjectNode fields)) {
            throw new IllegalArgumentException("a stored record is a JSON object, not " + body.getNodeType());
        }
        if (fields.has(VERSION_FIELD)) {
            throw new IllegalArgumentException(record.getClass().getSimpleName() + " has a field named "
                    + VERSION_FIELD + ", which every stored record reserves for its schema version");
        }
        ObjectNode versioned = WRITER.createObjectNode();
        versioned.put(VERSION_FIELD, CURRENT.toString());
        versioned.setAll(fields);
        return WRITER.writeValueAsBytes(versioned);
    }

    /**
     * Reads a record of any version this snapci understands, ignoring fields it does not know.
     *
     * @throws NewerSchemaException when a newer major version wrote it
     * @throws IOException          when it is not JSON, or not a {@code type}
     */
    public static <T> T read(byte[] json, Class<T> type) throws IOException {
        SchemaVersion written = versionOf(json);
        if (!CURRENT.reads(written)) {
            throw new NewerSchemaException(written, CURRENT);
        }
        try {
            return READER.readValue(json, type);
        } catch (IllegalArgumentException e) {
            // A model record's constructor refused a value (a blank test command, say): not a valid record either.
            throw new IOException(e.getMessage(), e);
        }
    }

    /**
     * Reads a run, as {@link #read}, and checks it has what every stored run has (an id, a spec, a phase and the
     * history its creation time comes from): a record that lacks one is no run, whatever its fields say.
     */
    public static RunStatus readRun(byte[] json) throws IOException {
        RunStatus run = read(json, RunStatus.class);
        if (run.id() == null || run.id().isBlank() || run.spec() == null || run.phase() == null
                || run.history().isEmpty()) {
            throw new IOException("a run record needs an id, a spec, a phase and a history");
        }
        return run;
    }

    /**
     * The version a record says it has. Writers put it first, so only the record's first field is read here (a
     * restart reads thousands of records); a record that has it elsewhere is read whole to find it.
     */
    private static SchemaVersion versionOf(byte[] json) throws IOException {
        try (JsonParser parser = READER.createParser(json)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("a stored record is a JSON object");
            }
            if (parser.nextToken() == JsonToken.FIELD_NAME && VERSION_FIELD.equals(parser.currentName())) {
                JsonToken value = parser.nextToken();
                return value == JsonToken.VALUE_NULL ? SchemaVersion.UNVERSIONED : version(parser.getText());
            }
        }
        JsonNode version = READER.readTree(json).get(VERSION_FIELD);
        if (version == null || version.isNull()) {
            return SchemaVersion.UNVERSIONED;
        }
        return version(version.isTextual() ? version.asText() : version.toString());
    }

    private static SchemaVersion version(String text) throws IOException {
        try {
            return SchemaVersion.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IOException(VERSION_FIELD + ": " + e.getMessage(), e);
        }
    }
}
