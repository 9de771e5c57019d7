package io.snapci.packaging;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.LinkedHashMap;
import java.util.Map;

/** The options of config.json by dotted path ("service.name"), as an installer sets them. */
final class ConfigOptions {

    private ConfigOptions() {
    }

    /** Every option that holds a value (not a section), with its schema. */
    static Map<String, JsonNode> leaves(JsonNode schema) {
        Map<String, JsonNode> leaves = new LinkedHashMap<>();
        collect("", schema, leaves);
        return leaves;
    }

    private static void collect(String prefix, JsonNode schema, Map<String, JsonNode> leaves) {
        schema.path("properties").fields().forEachRemaining(p -> {
            String path = prefix.isEmpty() ? p.getKey() : prefix + "." + p.getKey();
            if ("object".equals(p.getValue().path("type").asText()) && p.getValue().has("properties")) {
                collect(path, p.getValue(), leaves);
            } else {
                leaves.put(path, p.getValue());
            }
        });
    }

    /** {"service": {"name": value}} for "service.name". */
    static JsonNode single(String path, JsonNode value) {
        com.fasterxml.jackson.databind.node.ObjectNode root = Documents.JSON.createObjectNode();
        com.fasterxml.jackson.databind.node.ObjectNode at = root;
        String[] parts = path.split("\\.");
        for (int i = 0; i < parts.length - 1; i++) {
            at = at.putObject(parts[i]);
        }
        at.set(parts[parts.length - 1], value);
        return root;
    }
}
