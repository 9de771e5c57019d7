package io.snapci.cli.remote;

import java.util.HashMap;
import java.util.Map;

/**
 * The part of TOML the dcos CLI writes in {@code dcos.toml}: {@code [section]} headers and {@code key = "string"},
 * {@code key = true} or {@code key = 42} lines, read as dotted keys ({@code core.dcos_url}). Anything else is ignored:
 * snapci only reads a few string values from it.
 */
final class TomlValues {

    private TomlValues() {
    }

    static Map<String, String> parse(String text) {
        Map<String, String> values = new HashMap<>();
        String section = "";
        for (String raw : text.split("\\R")) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("[") && line.endsWith("]")) {
                section = line.substring(1, line.length() - 1).strip().replace("\"", "");
                continue;
            }
            int eq = line.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            String key = line.substring(0, eq).strip().replace("\"", "");
            values.put(section.isEmpty() ? key : section + "." + key, value(line.substring(eq + 1).strip()));
        }
        return values;
    }

    private static String value(String text) {
        if (text.startsWith("\"")) {
            StringBuilder value = new StringBuilder();
            for (int i = 1; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c == '\\' && i + 1 < text.length()) {
                    char next = text.charAt(++i);
                    value.append(switch (next) {
                        case 'n' -> '\n';
                        case 't' -> '\t';
                        default -> next;
                    });
                } else if (c == '"') {
                    break;
                } else {
                    value.append(c);
                }
            }
            return value.toString();
        }
        if (text.startsWith("'")) {
            int end = text.indexOf('\'', 1);
            return end < 0 ? text.substring(1) : text.substring(1, end);
        }
        int comment = text.indexOf('#');
        return (comment < 0 ? text : text.substring(0, comment)).strip();
    }
}
