package io.snapci.server.api;

import io.snapci.model.CassandraSettings;
import io.snapci.model.RunSpec;
import io.snapci.model.Timeouts;
import io.snapci.server.ApiProblem;
import io.snapci.server.runs.RunSubmissions;

import java.nio.file.FileSystems;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What a run spec may hold whatever the mode: bounded sizes (a run record must stay small enough for a ZooKeeper
 * znode), no control characters where they could break a configuration file or a command line, label keys of a
 * sane shape, a glob that compiles. Each problem names its field.
 */
public final class RunSpecLimits {

    static final int MAX_COMMAND = 8 * 1024;
    static final int MAX_PATH = 4096;
    static final int MAX_ENV = 128;
    static final int MAX_ENV_VALUE = 8 * 1024;
    static final int MAX_LABELS = 32;
    static final int MAX_LABEL_VALUE = 256;
    static final int MAX_JVM_OPTIONS = 32;
    static final int MAX_JVM_OPTION = 1024;
    static final Duration MAX_TIMEOUT = Duration.ofHours(24);

    private static final Pattern LABEL_KEY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_./-]{0,62}");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
    private static final Pattern CLASS_NAME = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$]*(\\.[A-Za-z_$][A-Za-z0-9_$]*)*");

    private RunSpecLimits() {
    }

    /** A cluster's nodes: at most {@link #MAX_NODES}, each name within {@code max}. */
    private static void nodes(String field, java.util.List<String> names, int max) {
        if (names == null) {
            return;
        }
        if (names.size() > MAX_NODES) {
            throw ApiProblem.invalid(field, "names " + names.size() + " nodes; one test node reads at most "
                    + MAX_NODES);
        }
        names.forEach(name -> text(field, name, max, false));
    }

    /** One test node reads every node's data: more than this many production nodes is no longer a CI copy. */
    static final int MAX_NODES = 32;

    public static void check(RunSpec spec) {
        text("testCommand", spec.testCommand(), MAX_COMMAND, true, true);
        text("testImage", spec.testImage(), 512, false);
        text("workDir", spec.workDir(), MAX_PATH, false);
        if (spec.source() != null) {
            text("source.dataDir", spec.source().dataDir(), MAX_PATH, false);
            text("source.volume", spec.source().volume(), 256, false);
            nodes("source.dataDirs", spec.source().dataDirs(), MAX_PATH);
            nodes("source.volumes", spec.source().volumes(), 256);
            text("source.volumesSelector", spec.source().volumesSelector(), 1024, false);
        }
        checkEnv(spec.env());
        checkLabels(spec.labels());
        text("junitGlob", spec.junitGlob(), 1024, false);
        if (spec.junitGlob() != null) {
            try {
                FileSystems.getDefault().getPathMatcher("glob:" + spec.junitGlob());
            } catch (IllegalArgumentException e) {
                throw ApiProblem.invalid("junitGlob", "is not a valid glob (" + e.getMessage()
                        + "); e.g. target/surefire-reports/*.xml");
            }
        }
        checkTimeouts(spec.timeouts());
        checkCassandra(spec.cassandra());
    }

    private static void checkEnv(Map<String, String> env) {
        if (env.size() > MAX_ENV) {
            throw ApiProblem.invalid("env", "at most " + MAX_ENV + " variables, got " + env.size());
        }
        env.forEach((name, value) -> {
            text("env", name, 256, false);
            text("env." + name, value, MAX_ENV_VALUE, false, true);
        });
    }

    private static void checkLabels(Map<String, String> labels) {
        if (labels.size() > MAX_LABELS) {
            throw ApiProblem.invalid("labels", "at most " + MAX_LABELS + " labels, got " + labels.size());
        }
        labels.forEach((key, value) -> {
            if (!LABEL_KEY.matcher(key).matches()) {
                throw ApiProblem.invalid("labels", "label key '" + shorten(key) + "' must be 1 to 63 letters, "
                        + "digits and _./- starting with a letter or digit");
            }
            if (key.startsWith("snapci.")) {
                throw ApiProblem.invalid("labels." + key, "keys starting with 'snapci.' are snapci's own (the "
                        + "client key is stored as " + RunSubmissions.CLIENT_KEY_LABEL + "); pick another key");
            }
            text("labels." + key, value, MAX_LABEL_VALUE, false);
        });
    }

    private static void checkTimeouts(Timeouts timeouts) {
        for (Map.Entry<String, Duration> t : Map.of("timeouts.cassandraReady", timeouts.cassandraReady(),
                "timeouts.tests", timeouts.tests(), "timeouts.run", timeouts.run()).entrySet()) {
            if (t.getValue().compareTo(MAX_TIMEOUT) > 0) {
                throw ApiProblem.invalid(t.getKey(), "at most " + MAX_TIMEOUT.toHours() + " hours, got "
                        + t.getValue());
            }
        }
    }

    private static void checkCassandra(CassandraSettings cassandra) {
        shaped("cassandra.datacenter", cassandra.datacenter(), NAME);
        shaped("cassandra.rack", cassandra.rack(), NAME);
        if (cassandra.partitioner().length() > 256 || !CLASS_NAME.matcher(cassandra.partitioner()).matches()) {
            throw ApiProblem.invalid("cassandra.partitioner", "must be a Java class name such as "
                    + CassandraSettings.DEFAULT_PARTITIONER);
        }
        List<String> options = cassandra.jvmOptions();
        if (options.size() > MAX_JVM_OPTIONS) {
            throw ApiProblem.invalid("cassandra.jvmOptions", "at most " + MAX_JVM_OPTIONS + " options");
        }
        for (int i = 0; i < options.size(); i++) {
            String field = "cassandra.jvmOptions[" + i + "]";
            text(field, options.get(i), MAX_JVM_OPTION, true);
            if (!options.get(i).startsWith("-")) {
                throw ApiProblem.invalid(field, "a JVM option starts with '-', e.g. -XX:+UseG1GC");
            }
        }
    }

    private static void shaped(String field, String value, Pattern shape) {
        if (!shape.matcher(value).matches()) {
            throw ApiProblem.invalid(field, "must be 1 to 64 letters, digits and _.- , got '" + shorten(value) + "'");
        }
    }

    private static void text(String field, String value, int max, boolean required) {
        text(field, value, max, required, false);
    }

    /**
     * Bounded, and free of control characters but tabs (and line breaks where {@code multiline}: a test command may
     * be a small script, an env value a PEM block); null is fine unless required.
     */
    private static void text(String field, String value, int max, boolean required, boolean multiline) {
        if (value == null) {
            if (required) {
                throw ApiProblem.invalid(field, "is required");
            }
            return;
        }
        if (value.length() > max) {
            throw ApiProblem.invalid(field, "at most " + max + " characters, got " + value.length());
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean lineBreak = c == '\n' || c == '\r';
            if (c < 0x20 && c != '\t' && !(multiline && lineBreak) || c == 0x7f) {
                throw ApiProblem.invalid(field, "contains a control character (code " + (int) c + " at position "
                        + i + "); write it without control characters");
            }
        }
    }

    private static String shorten(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "...";
    }
}
