package io.snapci.server.config;

import io.snapci.model.mask.MaskRules;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * masking.ruleSets: named rule sets written in one value, for where a directory of files is awkward (a Marathon
 * app's environment, rendered from the Universe package's masking.rule_sets). A line {@code [NAME]} starts a set;
 * the lines up to the next header are its rules, in the text form of {@link MaskRules#parse}.
 */
final class InlineRuleSets {

    private static final Pattern HEADER = Pattern.compile("^\\s*\\[([^\\]]*)]\\s*$");

    private InlineRuleSets() {
    }

    /** Sets in order of appearance; throws IllegalArgumentException naming the set and the problem. */
    static Map<String, MaskRules> parse(String text) {
        Map<String, StringBuilder> bodies = new LinkedHashMap<>();
        StringBuilder current = null;
        int number = 0;
        for (String line : text.split("\\R")) {
            number++;
            Matcher header = HEADER.matcher(line);
            if (header.matches()) {
                String name = header.group(1).strip();
                MaskRules.ruleSet(name); // the same names a run can give: throws for a path or a space
                if (bodies.containsKey(name)) {
                    throw new IllegalArgumentException("line " + number + ": a second set named [" + name + "]");
                }
                current = new StringBuilder();
                bodies.put(name, current);
            } else if (current != null) {
                current.append(line).append('\n');
            } else if (!line.isBlank() && !line.strip().startsWith("#")) {
                throw new IllegalArgumentException("line " + number + ": a rule before the first [NAME] header");
            }
        }
        Map<String, MaskRules> sets = new LinkedHashMap<>();
        bodies.forEach((name, body) -> {
            try {
                sets.put(name, MaskRules.parse(body.toString()).withRuleSet(null));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("[" + name + "]: " + e.getMessage(), e);
            }
        });
        return sets;
    }
}
