package io.snapci.model.tasks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.snapci.model.Json;
import io.snapci.model.Phase;
import io.snapci.model.TestCounts;

import java.io.IOException;

/**
 * What the tests task (snapci's executor library, {@code TestsTaskMain}) left in its sandbox as
 * {@value TestsTask#RESULT_FILE}: the verdict it reached, the exit code, its message and the JUnit counts. The status
 * update of the default executor only says "Command exited with status N"; this says which tests failed.
 */
public record TestsTaskReport(Phase outcome, int exitCode, String message, TestCounts tests) {

    public static TestsTaskReport parse(String json) throws IOException {
        JsonNode node = Json.mapper().readTree(json);
        if (node == null || !node.path("outcome").isTextual() || !node.path("exitCode").canConvertToInt()) {
            throw new IOException(TestsTask.RESULT_FILE + " is not a tests task report: " + abbreviate(json));
        }
        Phase outcome;
        try {
            outcome = Phase.valueOf(node.get("outcome").asText());
        } catch (IllegalArgumentException e) {
            throw new IOException(TestsTask.RESULT_FILE + " names an unknown outcome: " + node.get("outcome").asText());
        }
        JsonNode tests = node.get("tests");
        TestCounts counts = tests == null || tests.isNull() ? null : Json.mapper().treeToValue(tests, TestCounts.class);
        return new TestsTaskReport(outcome, node.get("exitCode").asInt(), node.path("message").asText(null), counts);
    }

    public String toJson() {
        ObjectNode result = Json.mapper().createObjectNode();
        result.put("outcome", outcome.name());
        result.put("exitCode", exitCode);
        result.put("message", message);
        result.set("tests", Json.mapper().valueToTree(tests));
        try {
            return Json.mapper().writeValueAsString(result);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "...";
    }
}
