package io.snapci.server.config;

import io.snapci.model.RunSpec;
import io.snapci.model.Source;
import io.snapci.model.mask.MaskRule;
import io.snapci.model.mask.MaskRules;
import io.snapci.model.mask.RowFilter;
import io.snapci.scheduler.core.storage.SourceGate;
import io.snapci.scheduler.core.storage.StorageException;
import io.snapci.server.ApiProblem;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The operator's masking requirements: named rule sets, and which source requires which set. A run against a
 * source that requires a set must carry every rule of it unchanged (it may add more): a CI job can strengthen the
 * masking, never weaken it.
 *
 * @param ruleSets named rule sets (masking.rulesDir: NAME.rules)
 * @param required source (its data directory or volume name, or {@code *} for every source) → rule set name
 * @param hashKey  the HMAC key of the hash and fake transforms (masking.hashKeyFile's content), so that masked
 *                 values are the same in every run (joins between CI runs); null: a random key per run. A secret:
 *                 {@link #toString()} leaves it out.
 */
public record MaskingPolicy(Map<String, MaskRules> ruleSets, Map<String, String> required, String hashKey) {

    public MaskingPolicy(Map<String, MaskRules> ruleSets, Map<String, String> required) {
        this(ruleSets, required, null);
    }

    @Override
    public String toString() {
        return "MaskingPolicy[ruleSets=" + ruleSets.keySet() + ", required=" + required + ", hashKey="
                + (hashKey == null ? "random per run" : "from masking.hashKeyFile") + "]";
    }

    public MaskingPolicy {
        ruleSets = ruleSets == null ? Map.of() : Map.copyOf(ruleSets);
        required = required == null ? Map.of() : Map.copyOf(required);
        for (Map.Entry<String, String> entry : required.entrySet()) {
            if (!ruleSets.containsKey(entry.getValue())) {
                throw new ConfigException("masking.required: " + entry.getKey() + " requires the rule set '"
                        + entry.getValue() + "', which masking.rulesDir does not hold (known: " + ruleSets.keySet()
                        + ")");
            }
        }
    }

    public static MaskingPolicy none() {
        return new MaskingPolicy(Map.of(), Map.of());
    }

    /**
     * The rule set this source requires, by name; null when none. A cluster source requires what any of its nodes
     * (directories or volumes; a selector by its text) requires: a node's data is in the copy whichever node it is.
     */
    public String requiredFor(Source source) {
        if (source == null) {
            return null;
        }
        List<String> names = new ArrayList<>(source.nodeDirs());
        if (source.volume() != null) {
            names.add(source.volume());
        }
        if (source.volumes() != null) {
            names.addAll(source.volumes());
        }
        if (source.volumesSelector() != null) {
            names.add(source.volumesSelector());
        }
        for (String name : names) {
            String set = required.get(name);
            if (set != null) {
                return set;
            }
        }
        return required.get("*");
    }

    /**
     * The spec with the rules of the rule set it names (mask.ruleSet) added to its own, so that what is stored and
     * applied is every rule, and the name is kept for the audit log. A spec that names no set is returned as it is.
     * Throws a 400 for an unknown set, or for a rule of the spec that gives a column of the set another transform
     * (a CI job cannot weaken the operator's set by restating a column).
     */
    public RunSpec resolve(RunSpec spec) {
        MaskRules own = spec.mask();
        if (own.ruleSet() == null) {
            return spec;
        }
        MaskRules set = ruleSets.get(own.ruleSet());
        if (set == null) {
            throw ApiProblem.invalid("mask.ruleSet", "there is no masking rule set '" + own.ruleSet() + "' "
                    + (ruleSets.isEmpty() ? "(this snapci has none: masking.rulesDir is not set)"
                    : "(known: " + String.join(", ", new java.util.TreeSet<>(ruleSets.keySet())) + ")"));
        }
        List<MaskRule> rules = new ArrayList<>(set.rules());
        for (MaskRule rule : own.rules()) {
            MaskRule fromSet = set.rules().stream()
                    .filter(r -> r.tableName().equals(rule.tableName()) && r.column().equals(rule.column()))
                    .findFirst().orElse(null);
            if (fromSet == null) {
                rules.add(rule);
            } else if (!fromSet.equals(rule)) {
                throw ApiProblem.invalid("mask", "the rule set '" + own.ruleSet() + "' masks " + fromSet.describe()
                        + "; the run's own rule " + rule.describe() + " would replace it: leave it out");
            }
        }
        List<RowFilter> filters = new ArrayList<>(set.filters());
        own.filters().stream().filter(f -> !filters.contains(f)).forEach(filters::add);
        return spec.withMask(new MaskRules(rules, filters, own.ruleSet()));
    }

    /** Throws a 400 naming the rule set and what is missing when the spec does not carry the required rules. */
    public void check(RunSpec spec) {
        String set = requiredFor(spec.source());
        List<String> missing = missing(spec, set);
        if (!missing.isEmpty()) {
            throw ApiProblem.invalid("mask", "this source requires the masking rule set '" + set + "'; the run's "
                    + "mask lacks: " + String.join("; ", missing));
        }
    }

    /**
     * The gate a run's copy passes once its source's volumes are known by name: a selector is checked by its text
     * when the run is accepted ({@link #check}), but the volumes it selects, one of which may require a rule set,
     * only when the storage lists them. Refused, nothing of the source has been read.
     */
    public SourceGate gateFor(RunSpec spec) {
        return nodes -> {
            for (String node : nodes) {
                String set = required.getOrDefault(node, required.get("*"));
                List<String> missing = missing(spec, set);
                if (!missing.isEmpty()) {
                    throw new StorageException(StorageException.Kind.REFUSED, spec.source().describe() + " includes "
                            + node + ", which requires the masking rule set '" + set + "'; the run's mask lacks: "
                            + String.join("; ", missing) + ". Add \"mask\": {\"ruleSet\": \"" + set
                            + "\"} to the run (snapci run --mask-ruleset " + set + ").");
                }
            }
        };
    }

    /** The rules and filters of the set (none: null) that the spec's mask does not carry. */
    private List<String> missing(RunSpec spec, String set) {
        List<String> missing = new ArrayList<>();
        if (set == null) {
            return missing;
        }
        MaskRules rules = ruleSets.get(set);
        if (spec.mask().covers(rules)) {
            return missing;
        }
        for (MaskRule rule : rules.rules()) {
            if (!spec.mask().rules().contains(rule)) {
                missing.add(rule.describe());
            }
        }
        for (RowFilter filter : rules.filters()) {
            if (!spec.mask().filters().contains(filter)) {
                missing.add(filter.describe());
            }
        }
        return missing;
    }
}
