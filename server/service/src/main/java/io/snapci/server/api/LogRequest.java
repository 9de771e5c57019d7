package io.snapci.server.api;

import io.snapci.server.ApiProblem;
import io.snapci.server.runs.RunFiles;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The parameters of {@code GET /v1/runs/{id}/logs}: {@code task=cassandra|tests} (required), {@code stream=stdout|
 * stderr} (tests only, stdout by default) and {@code tail=N} (only the last N bytes).
 */
record LogRequest(RunFiles.Task task, boolean stderr, long tailBytes) {

    private static final Set<String> PARAMETERS = Set.of("task", "stream", "tail");

    static LogRequest from(Map<String, List<String>> params) {
        for (String name : params.keySet()) {
            if (!PARAMETERS.contains(name)) {
                throw ApiProblem.invalid(name, "unknown query parameter; logs take task, stream and tail");
            }
        }
        String task = single(params, "task");
        if (task == null) {
            throw ApiProblem.invalid("task", "is required: task=tests (the test command's output) or "
                    + "task=cassandra (Cassandra's system.log)");
        }
        RunFiles.Task which = switch (task.toLowerCase(Locale.ROOT)) {
            case "tests" -> RunFiles.Task.TESTS;
            case "cassandra" -> RunFiles.Task.CASSANDRA;
            default -> throw ApiProblem.invalid("task", "must be tests or cassandra, got '" + task + "'");
        };
        String stream = single(params, "stream");
        boolean stderr = "stderr".equals(stream);
        if (stream != null && !stderr && !"stdout".equals(stream)) {
            throw ApiProblem.invalid("stream", "must be stdout or stderr, got '" + stream + "'");
        }
        String tail = single(params, "tail");
        long tailBytes = 0;
        if (tail != null) {
            try {
                tailBytes = Long.parseLong(tail);
            } catch (NumberFormatException e) {
                tailBytes = -1;
            }
            if (tailBytes < 1) {
                throw ApiProblem.invalid("tail", "must be a positive number of bytes, got '" + tail + "'");
            }
        }
        return new LogRequest(which, stderr, tailBytes);
    }

    private static String single(Map<String, List<String>> params, String name) {
        List<String> values = params.get(name);
        if (values == null || values.isEmpty()) {
            return null;
        }
        if (values.size() > 1) {
            throw ApiProblem.invalid(name, "give it once");
        }
        return values.get(0);
    }

    String describe() {
        return task == RunFiles.Task.TESTS ? "tests " + (stderr ? "stderr" : "stdout") : "Cassandra";
    }
}
