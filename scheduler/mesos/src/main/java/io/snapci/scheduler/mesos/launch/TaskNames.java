package io.snapci.scheduler.mesos.launch;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The ids of a run's executor and tasks: {@code <runId>.<role>.<attempt>}. Each retry on another agent is a new
 * attempt, so Mesos never sees a task id twice; any task id tells which run and attempt it belongs to.
 */
public final class TaskNames {

    public static final String CASSANDRA = "cassandra";
    public static final String TESTS = "tests";
    public static final String EXECUTOR = "executor";

    private static final Pattern ID = Pattern.compile("(.+)\\.(cassandra|tests|executor)\\.(\\d+)");

    private TaskNames() {
    }

    public static String id(String runId, String role, int attempt) {
        return runId + "." + role + "." + attempt;
    }

    /** What a task id names, if it is one of ours. */
    public static Optional<Parsed> parse(String taskId) {
        Matcher m = ID.matcher(taskId);
        return m.matches() ? Optional.of(new Parsed(m.group(1), m.group(2), Integer.parseInt(m.group(3))))
                : Optional.empty();
    }

    public record Parsed(String runId, String role, int attempt) {
    }
}
