package io.snapci.model.mask;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rows to delete from the copy: those of {@code keyspace.table} whose {@code column} equals {@code value}
 * (e.g. every row of a test account). The value is part of the rules an operator writes, not of the data.
 */
public record RowFilter(String keyspace, String table, String column, String value) {

    private static final Pattern FORM = Pattern.compile(
            "([A-Za-z_][A-Za-z0-9_]*)\\.([A-Za-z_][A-Za-z0-9_]*)\\s+where\\s+([A-Za-z_][A-Za-z0-9_]*)\\s*=\\s*'(.*)'",
            Pattern.CASE_INSENSITIVE);

    public RowFilter {
        if (keyspace == null || table == null || column == null || value == null) {
            throw new IllegalArgumentException("row filter: keyspace, table, column and value are required");
        }
    }

    /** Parses {@code keyspace.table where column = 'value'}. */
    public static RowFilter parse(String text) {
        Matcher m = FORM.matcher(text.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("row filter '" + text + "': write keyspace.table where column = 'value'");
        }
        return new RowFilter(m.group(1), m.group(2), m.group(3), m.group(4).replace("''", "'"));
    }

    public String tableName() {
        return keyspace + "." + table;
    }

    public String describe() {
        return "delete " + keyspace + "." + table + " where " + column + " = '" + value.replace("'", "''") + "'";
    }
}
