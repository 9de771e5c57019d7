package io.snapci.server.api;

import io.snapci.model.Phase;
import io.snapci.model.RunStatus;
import io.snapci.model.Source;
import io.snapci.server.ApiProblem;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The parameters of {@code GET /v1/runs}: the filters {@code state} (phases, comma-separated or repeated),
 * {@code source} (a data directory or volume name, exactly), {@code label} ({@code key=value}, or {@code key} for any
 * value; repeated means all of them), and the page: {@code limit} (100 by default, 1000 at most) and {@code after}
 * (the {@code next} cursor of the previous page). Any other parameter is an error, so a typo never silently returns
 * everything.
 */
public final class RunQuery {

    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;
    private static final Set<String> PARAMETERS = Set.of("state", "source", "label", "limit", "after");

    private final Set<Phase> states;
    private final String source;
    private final Map<String, String> labels;
    private final int limit;
    private final String afterRunId;

    private RunQuery(Set<Phase> states, String source, Map<String, String> labels, int limit, String afterRunId) {
        this.states = states;
        this.source = source;
        this.labels = labels;
        this.limit = limit;
        this.afterRunId = afterRunId;
    }

    public static RunQuery from(Map<String, List<String>> params) {
        for (String name : params.keySet()) {
            if (!PARAMETERS.contains(name)) {
                throw ApiProblem.invalid(name, "unknown query parameter; the filters are state, source and label, "
                        + "the page's are limit and after");
            }
        }
        Set<Phase> states = EnumSet.noneOf(Phase.class);
        for (String value : params.getOrDefault("state", List.of())) {
            for (String state : value.split(",")) {
                states.add(phase(state.strip()));
            }
        }
        List<String> sources = params.getOrDefault("source", List.of());
        if (sources.size() > 1) {
            throw ApiProblem.invalid("source", "give one source");
        }
        Map<String, String> labels = new LinkedHashMap<>();
        for (String label : params.getOrDefault("label", List.of())) {
            int eq = label.indexOf('=');
            String key = eq < 0 ? label : label.substring(0, eq);
            if (key.isBlank()) {
                throw ApiProblem.invalid("label", "expected key=value or key, got '" + label + "'");
            }
            labels.put(key, eq < 0 ? null : label.substring(eq + 1));
        }
        return new RunQuery(states, sources.isEmpty() ? null : sources.get(0), labels, limit(params), after(params));
    }

    private static String after(Map<String, List<String>> params) {
        List<String> values = params.getOrDefault("after", List.of());
        if (values.size() > 1) {
            throw ApiProblem.invalid("after", "give one cursor");
        }
        return values.isEmpty() ? null : RunCursor.runId(values.get(0));
    }

    private static Phase phase(String name) {
        try {
            return Phase.valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiProblem.invalid("state", "unknown state '" + name + "'; states are "
                    + Arrays.toString(Phase.values()));
        }
    }

    private static int limit(Map<String, List<String>> params) {
        List<String> values = params.getOrDefault("limit", List.of());
        if (values.isEmpty()) {
            return DEFAULT_LIMIT;
        }
        try {
            int limit = Integer.parseInt(values.get(0));
            if (values.size() == 1 && limit >= 1 && limit <= MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw ApiProblem.invalid("limit", "must be one whole number from 1 to " + MAX_LIMIT);
    }

    /** The most runs a page holds. */
    public int limit() {
        return limit;
    }

    /** The id of the run the page starts after (the previous page's last), or null for the newest runs. */
    public String afterRunId() {
        return afterRunId;
    }

    /** Whether the run passes the filters. */
    public boolean matches(RunStatus run) {
        if (!states.isEmpty() && !states.contains(run.phase())) {
            return false;
        }
        if (source != null) {
            Source from = run.spec().source();
            if (from == null || !(source.equals(from.dataDir()) || source.equals(from.volume())
                    || from.nodeDirs().contains(source) || from.volumes() != null && from.volumes().contains(source)
                    || source.equals(from.volumesSelector()))) {
                return false;
            }
        }
        for (Map.Entry<String, String> label : labels.entrySet()) {
            String value = run.spec().labels().get(label.getKey());
            if (value == null || label.getValue() != null && !label.getValue().equals(value)) {
                return false;
            }
        }
        return true;
    }
}
