package io.snapci.server.mesos;

import io.snapci.server.config.ConfigException;
import io.snapci.server.config.Durations;

import java.time.Duration;

/**
 * One line of a setting that holds a list, one entry a line ({@code snapshots.schedules}, {@code portworx.baseCopies}):
 * its fields, separated by ';', and the errors that name the setting and the line.
 */
final class SettingLine {

    private final String key;
    private final String line;
    private final String[] fields;

    SettingLine(String key, String line) {
        this.key = key;
        this.line = line;
        this.fields = line.split(";", -1);
    }

    int fieldCount() {
        return fields.length;
    }

    /** Field {@code index} (from 0), stripped. */
    String field(int index) {
        return fields[index].strip();
    }

    /** The whole number in {@code text}, else an error naming the field ({@code what}). */
    int number(String what, String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw problem(what + " '" + text + "' is not a whole number");
        }
    }

    /** The duration in {@code text}, else an error giving {@code examples} of durations. */
    Duration duration(String text, String examples) {
        return Durations.parse(text).orElseThrow(() -> problem("'" + text.strip() + "' is not a duration such as "
                + examples));
    }

    ConfigException problem(String why) {
        return new ConfigException(key + " line '" + line + "': " + why);
    }
}
