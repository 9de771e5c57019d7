package io.snapci.scheduler.mesos.offer;

import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where the live runs this evaluator placed are: the agent's hostname and attributes, remembered from the offer each
 * run was placed on and forgotten when the launcher says the run's attempt ended. UNIQUE, MAX_PER, CLUSTER and
 * GROUP_BY count these. Not thread-safe: the evaluator guards it.
 */
public final class PlacedRuns {

    /** Where one run is. */
    public record Placement(String runId, String agentId, String hostname, Map<String, String> attributes) {
    }

    private final Map<String, Placement> byRun = new LinkedHashMap<>();
    /** Per constraint field, how many runs are on each value (a null key for agents without the attribute). */
    private final Map<String, Map<String, Integer>> countsByField = new HashMap<>();

    void add(Placement placement) {
        byRun.put(placement.runId(), placement);
        countsByField.clear();
    }

    void remove(String runId) {
        if (byRun.remove(runId) != null) {
            countsByField.clear();
        }
    }

    public int size() {
        return byRun.size();
    }

    public List<Placement> all() {
        return List.copyOf(byRun.values());
    }

    /** How many runs are on each value of a field; computed once per field until the placements change. */
    public Map<String, Integer> countsBy(String field) {
        return countsByField.computeIfAbsent(field, f -> {
            Map<String, Integer> counts = new HashMap<>();
            for (Placement p : byRun.values()) {
                counts.merge(AgentFields.read(f, p.hostname(), p.attributes()).orElse(null), 1, Integer::sum);
            }
            return Collections.unmodifiableMap(counts);
        });
    }
}
