package io.snapci.scheduler.mesos.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import io.snapci.model.Json;
import io.snapci.model.Phase;
import io.snapci.model.TestCounts;

import java.io.IOException;

/**
 * What the tests task (snapci's executor library, {@code TestsTaskMain}) left in its sandbox as
 * {@code snapci-result.json}: the verdict it reached, the exit code, its message and the JUnit counts. The status
 * update of the default executor only says "Command exited with status N"; this says which tests failed.
 */
public record TestsTaskReport(Phase outcome, int exitCode, String message, TestCounts tests) {

    public static final String FILE = "snapci-result.json";

    public static TestsTaskReport parse(String json) throws IOException {
        JsonNode node = Json.mapper().readTree(json);
        if (node == null || !node.path("outcome").isTextual() || !node.path("exitCode").canConvertToInt()) {
            throw new IOException(FILE + " is not a tests task report: " + abbreviate(json));
        }
        Phase outcome;
        try {
            outcome = Phase.valueOf(node.get("outcome").asText());
        } catch (IllegalArgumentException e) {
            throw new IOException(FILE + " names an unknown outcome: " + node.get("outcome").asText());
        }
        JsonNode tests = node.get("tests");
        TestCounts counts = tests == null || tests.isNull() ? null : Json.mapper().treeToValue(tests, TestCounts.class);
        return new TestsTaskReport(outcome, node.get("exitCode").asInt(), node.path("message").asText(null), counts);
    }

    private static String abbreviate(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "...";
    }
}
