package io.snapci.model.mask;

import java.util.regex.Pattern;

/**
 * One column's masking: {@code keyspace.table.column: transform[(argument)]}.
 *
 * @param keyspace  the keyspace
 * @param table     the table
 * @param column    the column (any column, key columns included)
 * @param transform what is done to its values
 * @param argument  the transform's argument (redact: the fixed value; keep-chars: the characters to keep); may be null
 */
public record MaskRule(String keyspace, String table, String column, MaskTransform transform, String argument) {

    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    public MaskRule {
        for (String part : new String[]{keyspace, table, column}) {
            if (part == null || !IDENTIFIER.matcher(part).matches()) {
                throw new IllegalArgumentException("masking rule: '" + part + "' is not a valid CQL identifier "
                        + "(rules name keyspace.table.column)");
            }
        }
        if (transform == null) {
            throw new IllegalArgumentException("masking rule " + keyspace + "." + table + "." + column
                    + ": a transform is required");
        }
    }

    /** Parses {@code keyspace.table.column} and {@code transform} or {@code transform(argument)}. */
    public static MaskRule parse(String target, String transform) {
        String[] parts = target.trim().split("\\.");
        if (parts.length != 3) {
            throw new IllegalArgumentException("masking rule '" + target + "': name it keyspace.table.column");
        }
        String spec = transform.trim();
        String argument = null;
        int open = spec.indexOf('(');
        if (open > 0 && spec.endsWith(")")) {
            argument = spec.substring(open + 1, spec.length() - 1);
            spec = spec.substring(0, open);
        }
        return new MaskRule(parts[0], parts[1], parts[2], MaskTransform.parse(spec), argument);
    }

    public String tableName() {
        return keyspace + "." + table;
    }

    /** The rule as written, for people and the audit log (never a value of the data). */
    public String describe() {
        return keyspace + "." + table + "." + column + ": " + transform.label()
                + (argument == null ? "" : "(" + argument + ")");
    }
}
