package io.snapci.scheduler.mesos.offer;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Collectors;

/**
 * A placement constraint in Marathon's {@code [field, OPERATOR, value]} form, with Marathon's semantics
 * (mesosphere/marathon {@code Constraints.scala} and {@code docs/constraints.md}):
 * <ul>
 *   <li>the field is {@code hostname} or an agent attribute (formatted as in {@link AgentFields}); an agent without
 *       the attribute passes only UNLIKE;</li>
 *   <li>LIKE / UNLIKE: the value is a regular expression that must match the <em>whole</em> field value
 *       ({@code rack-1} does not match {@code rack-10} against {@code rack-1});</li>
 *   <li>IS: equal to the value; IN: one of the comma-separated values;</li>
 *   <li>UNIQUE: no live run has this field value; MAX_PER n: fewer than n live runs have it;</li>
 *   <li>CLUSTER v: the field equals v; CLUSTER without a value: every live run has the same value as this agent
 *       (the first run picks it);</li>
 *   <li>GROUP_BY [n]: spread evenly: an agent whose value already has runs is accepted only when at least n values
 *       are in use and its value has the fewest runs.</li>
 * </ul>
 * Live runs are the runs this scheduler placed and has not released. A constraint is checked when it is built: an
 * unknown operator, a bad regex or a missing number is an {@link IllegalArgumentException} saying what to fix.
 */
public final class MarathonConstraint {

    public enum Operator { UNIQUE, CLUSTER, GROUP_BY, LIKE, UNLIKE, MAX_PER, IS, IN }

    private final String field;
    private final Operator operator;
    private final String value;
    /** LIKE / UNLIKE only */
    private final Pattern pattern;
    /** MAX_PER's limit, GROUP_BY's number of values (0 when not given) */
    private final int number;

    private MarathonConstraint(String field, Operator operator, String value, Pattern pattern, int number) {
        this.field = field;
        this.operator = operator;
        this.value = value;
        this.pattern = pattern;
        this.number = number;
    }

    public String field() {
        return field;
    }

    public Operator operator() {
        return operator;
    }

    /** @return the value, null when the constraint has none */
    public String value() {
        return value;
    }

    /** Parses Marathon's JSON form, e.g. {@code ["hostname", "MAX_PER", "2"]}. */
    public static MarathonConstraint parse(List<String> parts) {
        if (parts == null || parts.size() < 2 || parts.size() > 3) {
            throw new IllegalArgumentException("A constraint is [field, OPERATOR] or [field, OPERATOR, value], got "
                    + parts);
        }
        String field = parts.get(0) == null ? "" : parts.get(0).trim();
        if (field.isEmpty()) {
            throw new IllegalArgumentException("Constraint " + parts + " has no field: use hostname or an agent "
                    + "attribute name");
        }
        Operator operator;
        try {
            operator = Operator.valueOf(String.valueOf(parts.get(1)).trim().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Constraint " + parts + ": unknown operator " + parts.get(1)
                    + "; use one of " + Arrays.toString(Operator.values()));
        }
        String value = parts.size() == 3 && parts.get(2) != null && !parts.get(2).isEmpty() ? parts.get(2) : null;
        return of(field, operator, value);
    }

    /** Parses the colon form used on command lines and in env vars: {@code hostname:UNIQUE}, {@code rack:LIKE:r-.*}. */
    public static MarathonConstraint parse(String text) {
        String[] parts = text.split(":", 3);
        return parse(Arrays.asList(parts));
    }

    public static MarathonConstraint of(String field, Operator operator, String value) {
        String where = "Constraint [" + field + ", " + operator + (value == null ? "" : ", " + value) + "]: ";
        Pattern pattern = null;
        int number = 0;
        switch (operator) {
            case UNIQUE -> {
                if (value != null) {
                    throw new IllegalArgumentException(where + "UNIQUE takes no value");
                }
            }
            case LIKE, UNLIKE -> {
                if (value == null) {
                    throw new IllegalArgumentException(where + operator + " needs a regular expression as its value");
                }
                try {
                    pattern = Pattern.compile(value);
                } catch (PatternSyntaxException e) {
                    throw new IllegalArgumentException(where + "the value is not a valid regular expression: "
                            + e.getDescription() + " near index " + e.getIndex());
                }
            }
            case IS, IN -> {
                if (value == null) {
                    throw new IllegalArgumentException(where + operator + " needs a value");
                }
            }
            case MAX_PER -> number = positiveNumber(where, value, "MAX_PER needs the largest number of runs per value, "
                    + "e.g. 2");
            case GROUP_BY -> number = value == null ? 0 : positiveNumber(where, value,
                    "GROUP_BY's optional value is the number of values to spread over, e.g. 3");
            case CLUSTER -> {
                // an optional value
            }
        }
        return new MarathonConstraint(field, operator, value, pattern, number);
    }

    private static int positiveNumber(String where, String value, String help) {
        try {
            int n = Integer.parseInt(value == null ? "" : value.trim());
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // falls through to the message
        }
        throw new IllegalArgumentException(where + help + " (got " + (value == null ? "nothing" : "'" + value + "'")
                + ")");
    }

    /**
     * @param offerValue this agent's value of the field, empty when it has no such attribute
     * @param placed     how many live runs are on each value of the field (null key: agents without it)
     * @return empty when the agent meets the constraint; otherwise why not
     */
    public Optional<String> check(Optional<String> offerValue, Map<String, Integer> placed) {
        if (offerValue.isEmpty()) {
            return operator == Operator.UNLIKE ? Optional.empty()
                    : Optional.of("the agent has no attribute " + field);
        }
        String v = offerValue.get();
        int here = placed.getOrDefault(v, 0);
        return switch (operator) {
            case LIKE -> pattern.matcher(v).matches() ? Optional.empty()
                    : Optional.of(field + " is " + v + ", which does not match " + value);
            case UNLIKE -> pattern.matcher(v).matches() ? Optional.of(field + " is " + v + ", which matches " + value)
                    : Optional.empty();
            case IS -> v.equals(value) ? Optional.empty() : Optional.of(field + " is " + v + ", not " + value);
            case IN -> inList(v) ? Optional.empty() : Optional.of(field + " is " + v + ", not one of " + value);
            case UNIQUE -> here == 0 ? Optional.empty()
                    : Optional.of(here + " run" + (here == 1 ? " is" : "s are") + " already on " + field + " " + v);
            case MAX_PER -> here < number ? Optional.empty()
                    : Optional.of(here + " run" + (here == 1 ? " is" : "s are") + " already on " + field + " " + v
                    + " (at most " + number + ")");
            case CLUSTER -> cluster(v, placed);
            case GROUP_BY -> groupBy(v, here, placed);
        };
    }

    private boolean inList(String v) {
        return Arrays.stream(value.split(",")).map(String::trim).anyMatch(v::equals);
    }

    private Optional<String> cluster(String v, Map<String, Integer> placed) {
        if (value != null) {
            return v.equals(value) ? Optional.empty() : Optional.of(field + " is " + v + ", not " + value);
        }
        Optional<String> other = placed.keySet().stream().filter(k -> !v.equals(k)).findFirst()
                .map(k -> k == null ? "(none)" : k);
        return other.map(k -> "runs are clustered on " + field + " " + k + ", this agent has " + v);
    }

    private Optional<String> groupBy(String v, int here, Map<String, Integer> placed) {
        if (here == 0) {
            return Optional.empty();  // a value without runs always helps the spread
        }
        int fewest = placed.values().stream().mapToInt(Integer::intValue).min().orElse(0);
        if (placed.size() >= number && here == fewest) {
            return Optional.empty();
        }
        return Optional.of(field + " " + v + " already has " + here + " runs; spreading over "
                + placed.keySet().stream().map(k -> k == null ? "(none)" : k).sorted()
                .collect(Collectors.joining(", ")) + (number > 0 ? " (at least " + number + " values)" : ""));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MarathonConstraint c && c.field.equals(field) && c.operator == operator
                && java.util.Objects.equals(c.value, value);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(field, operator, value);
    }

    @Override
    public String toString() {
        return "[" + field + ", " + operator + (value == null ? "" : ", " + value) + "]";
    }
}
