package io.snapci.tests.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Random request bodies for POST /v1/runs, none of which may create a run: JSON-ish garbage, truncated JSON, wrong
 * types, unknown fields, huge and control-character strings, deep nesting, bad values. Each starts from a spec
 * that is valid except that its test command does not exist, and the test command itself is only ever replaced by
 * something that is not a runnable string, so every body is invalid in at least one way.
 */
final class RunSpecFuzzer {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String MISSING_COMMAND = "/nonexistent/snapci-fuzz/run-tests";
    private static final String JSONISH = "{}[]\":,0123456789abcdefghijklmnopqrstuvwxyz \\ntruefalsenull-+.eE\t\u00e9\u2603";
    private static final String[] FIELDS = {"source", "testCommand", "testImage", "workDir", "env", "junitGlob",
            "timeouts", "cassandra", "labels", "clientKey"};

    private final Random random;
    private final String workDir;

    RunSpecFuzzer(long seed, String workDir) {
        this.random = new Random(seed);
        this.workDir = workDir;
    }

    ObjectNode base() {
        ObjectNode spec = NODES.objectNode();
        spec.put("testCommand", MISSING_COMMAND);
        spec.put("workDir", workDir);
        spec.put("junitGlob", "reports/*.xml");
        spec.putObject("env").put("SHOP_MODE", "ci");
        spec.putObject("labels").put("branch", "main");
        spec.putObject("timeouts").put("tests", "PT10M");
        spec.putObject("cassandra").put("heap", "512m").put("datacenter", "dc1");
        return spec;
    }

    /** One random body. */
    String next() {
        return switch (random.nextInt(12)) {
            case 0 -> garbage(random.nextInt(300));
            case 1 -> truncate(mutated().toString());
            case 2 -> nonObject();
            case 3 -> duplicateKey();
            case 4 -> deepNesting(20 + random.nextInt(2000));
            default -> mutated().toString();
        };
    }

    private ObjectNode mutated() {
        ObjectNode spec = base();
        int mutations = 1 + random.nextInt(3);
        for (int i = 0; i < mutations; i++) {
            mutate(spec);
        }
        return spec;
    }

    private void mutate(ObjectNode spec) {
        String field = FIELDS[random.nextInt(FIELDS.length)];
        switch (random.nextInt(8)) {
            case 0 -> spec.set(field, wrongType(field));
            case 1 -> unknownField(spec);
            case 2 -> {
                if (!field.equals("testCommand")) {
                    spec.put(field, hugeString());
                } else {
                    spec.put(field, MISSING_COMMAND + " " + "x".repeat(9000));
                }
            }
            case 3 -> spec.put(field.equals("testCommand") ? "testCommand" : field,
                    field.equals("testCommand") ? MISSING_COMMAND + "\u0000" : controlString());
            case 4 -> badNested(spec);
            case 5 -> spec.remove(field.equals("testCommand") ? "testCommand" : field);
            case 6 -> spec.set(field, NODES.nullNode());
            default -> spec.set(field, randomNode(3));
        }
    }

    /** Anything but a string for testCommand; anything at all elsewhere. */
    private JsonNode wrongType(String field) {
        JsonNode node;
        do {
            node = randomNode(2);
        } while (field.equals("testCommand") && node.isTextual());
        return node;
    }

    private void unknownField(ObjectNode spec) {
        String name = random.nextBoolean() ? "retries" : garbage(1 + random.nextInt(12)).replace("\"", "");
        ObjectNode target = switch (random.nextInt(4)) {
            case 0 -> object(spec, "cassandra");
            case 1 -> object(spec, "timeouts");
            case 2 -> spec.putObject("source").put("dataDir", "/tmp");
            default -> spec;
        };
        if (!target.has(name) && !name.isEmpty() && !isKnown(target, spec, name)) {
            target.set(name, randomNode(1));
        } else {
            target.put("bogusField", 1);
        }
    }

    /** A random name may happen to be a real field; then it would not be unknown. */
    private static boolean isKnown(ObjectNode target, ObjectNode spec, String name) {
        return target == spec && (List.of(FIELDS).contains(name))
                || List.of("dataDir", "volume", "heap", "datacenter", "rack", "partitioner", "jvmOptions", "cqlPort",
                "cassandraReady", "tests", "run").contains(name);
    }

    private void badNested(ObjectNode spec) {
        switch (random.nextInt(9)) {
            case 0 -> object(spec, "cassandra").put("heap", garbage(6));
            case 1 -> object(spec, "cassandra").put("cqlPort", random.nextBoolean() ? 70000 : -1);
            case 2 -> object(spec, "timeouts").put("run", random.nextBoolean() ? "-PT5M" : "PT0S");
            case 3 -> object(spec, "env").put(random.nextBoolean() ? "1BAD" : "A-B", "x");
            case 4 -> object(spec, "labels").put("snapci.clientKey", "mine");
            case 5 -> object(spec, "cassandra").putArray("jvmOptions").add("no-dash").addNull();
            case 6 -> spec.putObject("source").put("dataDir", "/tmp").put("volume", "pv-1");
            case 7 -> object(spec, "timeouts").put("tests", random.nextDouble() * 1e300);
            default -> object(spec, "cassandra").put("datacenter", "dc1\nseeds: 10.0.0.1");
        }
    }

    /** The spec's nested object, made again if an earlier mutation replaced it with something else. */
    private static ObjectNode object(ObjectNode spec, String name) {
        return spec.get(name) instanceof ObjectNode nested ? nested : spec.putObject(name);
    }

    private JsonNode randomNode(int depth) {
        return switch (random.nextInt(depth > 0 ? 8 : 6)) {
            case 0 -> NODES.numberNode(random.nextInt());
            case 1 -> NODES.numberNode(random.nextDouble() * Math.pow(10, random.nextInt(40)));
            case 2 -> NODES.booleanNode(random.nextBoolean());
            case 3 -> NODES.nullNode();
            case 4 -> NODES.textNode(garbage(random.nextInt(20)));
            case 5 -> NODES.numberNode(Long.MIN_VALUE);
            case 6 -> {
                ArrayNode array = NODES.arrayNode();
                for (int i = random.nextInt(4); i > 0; i--) {
                    array.add(randomNode(depth - 1));
                }
                yield array;
            }
            default -> {
                ObjectNode object = NODES.objectNode();
                for (int i = random.nextInt(4); i > 0; i--) {
                    object.set(garbage(1 + random.nextInt(6)), randomNode(depth - 1));
                }
                yield object;
            }
        };
    }

    private String garbage(int length) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < length; i++) {
            text.append(JSONISH.charAt(random.nextInt(JSONISH.length())));
        }
        return text.toString();
    }

    private String hugeString() {
        return "y".repeat(10_000 + random.nextInt(100_000));
    }

    private String controlString() {
        return "a" + (char) (1 + random.nextInt(31)) + "b";
    }

    private String truncate(String json) {
        return json.substring(0, random.nextInt(Math.max(1, json.length() - 1)));
    }

    private String nonObject() {
        List<String> shapes = new ArrayList<>(List.of("[]", "42", "\"testCommand\"", "null", "true",
                "[" + base() + "]"));
        return shapes.get(random.nextInt(shapes.size()));
    }

    private String duplicateKey() {
        return "{\"testCommand\": \"" + MISSING_COMMAND + "\", \"testCommand\": \"" + MISSING_COMMAND + "\"}";
    }

    private static String deepNesting(int depth) {
        return "{\"labels\": " + "[".repeat(depth) + "]".repeat(depth) + "}";
    }
}
