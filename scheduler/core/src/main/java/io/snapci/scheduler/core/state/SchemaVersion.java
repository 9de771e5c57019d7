package io.snapci.scheduler.core.state;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The version of a stored record's layout, {@code MAJOR.MINOR}, written into every record a store keeps.
 *
 * <p>The rule that makes a rollback safe: a change that an older snapci can read by ignoring what it does not know
 * (a new field) raises the <em>minor</em> version; anything else (a field removed, renamed or given a new meaning, a
 * new phase or other enum value, a field that must be understood) raises the <em>major</em> version. A reader reads
 * every record of its own major version, whatever the minor, and no record of a newer major one.
 *
 * @param major raised by a change an older reader would misread
 * @param minor raised by a change an older reader may ignore
 */
public record SchemaVersion(int major, int minor) implements Comparable<SchemaVersion> {

    private static final Pattern TEXT = Pattern.compile("(\\d{1,6})\\.(\\d{1,6})");

    /** What records had before they carried a version: the layout of 1.0, which is where versions start. */
    public static final SchemaVersion UNVERSIONED = new SchemaVersion(1, 0);

    public SchemaVersion {
        if (major < 1 || minor < 0) {
            throw new IllegalArgumentException("a schema version is MAJOR.MINOR with MAJOR >= 1, got " + major + "."
                    + minor);
        }
    }

    /** {@code "1.0"} → 1.0; anything else is refused. */
    public static SchemaVersion parse(String text) {
        Matcher m = text == null ? null : TEXT.matcher(text);
        if (m == null || !m.matches()) {
            throw new IllegalArgumentException("not a schema version (MAJOR.MINOR, e.g. 1.0): '" + text + "'");
        }
        return new SchemaVersion(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
    }

    /** Whether a reader of this version understands a record written in {@code written}. */
    public boolean reads(SchemaVersion written) {
        return written.major <= major;
    }

    @Override
    public int compareTo(SchemaVersion other) {
        return major != other.major ? Integer.compare(major, other.major) : Integer.compare(minor, other.minor);
    }

    @Override
    public String toString() {
        return major + "." + minor;
    }
}
