package io.snapci.model.mask;

import com.fasterxml.jackson.annotation.JsonIgnore;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How a copy is masked before any test sees it: column rules and row filters. The hash key is not part of it: it
 * comes from the service configuration or is generated per run, and is never stored with a run.
 *
 * @param rules   the column rules, at most one per column
 * @param filters rows to delete, per table
 * @param ruleSet the operator's named rule set (masking.rulesDir) these rules include, or null. A spec may name
 *                one instead of writing its rules; the service then adds the set's rules at submit
 *                ({@code MaskingPolicy.resolve}), so a stored run carries both the name and every rule it applied.
 */
public record MaskRules(List<MaskRule> rules, List<RowFilter> filters, String ruleSet) {

    /** A name is what an operator's file is called (NAME.rules): no paths, no spaces. */
    private static final java.util.regex.Pattern RULE_SET_NAME = java.util.regex.Pattern.compile(
            "[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

    public MaskRules(List<MaskRule> rules, List<RowFilter> filters) {
        this(rules, filters, null);
    }

    public MaskRules {
        rules = rules == null ? List.of() : List.copyOf(rules);
        filters = filters == null ? List.of() : List.copyOf(filters);
        if (ruleSet != null && !RULE_SET_NAME.matcher(ruleSet).matches()) {
            throw new IllegalArgumentException("mask.ruleSet '" + ruleSet + "' is not a rule set's name (letters, "
                    + "digits, '_', '.', '-'; the NAME of a NAME.rules file in masking.rulesDir)");
        }
        Set<String> columns = new LinkedHashSet<>();
        for (MaskRule rule : rules) {
            if (!columns.add(rule.keyspace() + "." + rule.table() + "." + rule.column())) {
                throw new IllegalArgumentException("masking: two rules for " + rule.keyspace() + "." + rule.table()
                        + "." + rule.column());
            }
        }
    }

    public static MaskRules none() {
        return new MaskRules(List.of(), List.of());
    }

    /** A spec that names the operator's rule set and writes no rules of its own. */
    public static MaskRules ruleSet(String name) {
        return new MaskRules(List.of(), List.of(), name);
    }

    /** These rules under another rule set's name (or none). */
    public MaskRules withRuleSet(String name) {
        return new MaskRules(rules, filters, name);
    }

    /** Parses {@code keyspace.table.column -> transform} entries, in order. */
    public static MaskRules of(Map<String, String> columns) {
        List<MaskRule> parsed = new ArrayList<>();
        columns.forEach((target, transform) -> parsed.add(MaskRule.parse(target, transform)));
        return new MaskRules(parsed, List.of());
    }

    /**
     * Parses the text form, one rule a line: {@code keyspace.table.column: transform[(argument)]}, or
     * {@code delete keyspace.table where <column> = '<value>'} for a row filter; {@code #} starts a comment.
     */
    public static MaskRules parse(String text) {
        Map<String, MaskRule> columns = new LinkedHashMap<>();
        List<RowFilter> filters = new ArrayList<>();
        int number = 0;
        for (String raw : text.split("\\R")) {
            number++;
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            try {
                if (line.regionMatches(true, 0, "delete ", 0, 7)) {
                    filters.add(RowFilter.parse(line.substring(7)));
                    continue;
                }
                int colon = line.indexOf(':');
                if (colon < 0) {
                    throw new IllegalArgumentException("expected 'keyspace.table.column: transform'");
                }
                String target = line.substring(0, colon).strip();
                if (columns.put(target, MaskRule.parse(target, line.substring(colon + 1))) != null) {
                    throw new IllegalArgumentException("a second rule for " + target);
                }
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("masking rules, line " + number + ": " + e.getMessage(), e);
            }
        }
        return new MaskRules(List.copyOf(columns.values()), filters);
    }

    @JsonIgnore
    public boolean isEmpty() {
        return rules.isEmpty() && filters.isEmpty();
    }

    /** The tables the rules touch, keyspace.table, in order of first mention. */
    public Set<String> tables() {
        Set<String> tables = new LinkedHashSet<>();
        rules.forEach(rule -> tables.add(rule.tableName()));
        filters.forEach(filter -> tables.add(filter.tableName()));
        return tables;
    }

    /** Whether these rules include every rule of {@code required} (the same transform and argument per column). */
    public boolean covers(MaskRules required) {
        return rules.containsAll(required.rules()) && filters.containsAll(required.filters());
    }

    /** One line per rule, for people and the audit log. */
    public List<String> describe() {
        List<String> lines = new ArrayList<>();
        rules.forEach(rule -> lines.add(rule.describe()));
        filters.forEach(filter -> lines.add(filter.describe()));
        return lines;
    }
}
