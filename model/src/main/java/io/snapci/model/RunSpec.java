package io.snapci.model;

import io.snapci.model.mask.MaskRules;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * What a CI job asks for: test this command against a fresh, writable copy of that source.
 *
 * @param source      where the production data is; {@code null} means an empty Cassandra (the tests' own fixtures)
 * @param testCommand the shell command that runs the test suite
 * @param testImage   the container image the tests run in (cluster mode; ignored locally)
 * @param workDir     the directory the test command runs in (local mode); defaults to the caller's directory
 * @param env         extra environment for the test command
 * @param junitGlob   where the command writes JUnit XML, a glob relative to workDir, e.g. target/surefire-reports/*.xml
 * @param timeouts    how long each part may take
 * @param cassandra   how the ephemeral node is configured
 * @param labels      free-form labels for finding runs later (CI job id, branch)
 * @param mask        how the copy is masked before the tests run (docs/masking.md); none when absent
 */
public record RunSpec(Source source, String testCommand, String testImage, String workDir, Map<String, String> env,
                      String junitGlob, Timeouts timeouts, CassandraSettings cassandra, Map<String, String> labels, MaskRules mask) {

    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    public RunSpec {
        if (testCommand == null || testCommand.isBlank()) {
            throw new IllegalArgumentException("testCommand is required: the shell command that runs your tests");
        }
        env = env == null ? Map.of() : Map.copyOf(env);
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        mask = mask == null ? MaskRules.none() : mask;
        timeouts = timeouts == null ? Timeouts.defaults() : timeouts;
        cassandra = cassandra == null ? CassandraSettings.defaults() : cassandra;
        for (String name : env.keySet()) {
            if (!ENV_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("env: '" + name + "' is not a valid environment variable name");
            }
        }
    }

    /** A spec without masking rules. */
    public RunSpec(Source source, String testCommand, String testImage, String workDir, Map<String, String> env,
                   String junitGlob, Timeouts timeouts, CassandraSettings cassandra, Map<String, String> labels) {
        this(source, testCommand, testImage, workDir, env, junitGlob, timeouts, cassandra, labels, null);
    }

    /** This spec with other masking rules. */
    public RunSpec withMask(MaskRules rules) {
        return new RunSpec(source, testCommand, testImage, workDir, env, junitGlob, timeouts, cassandra, labels,
                rules);
    }

    /** Whether the run uses production data (a snapshot) or starts from an empty node. */
    public boolean hasSource() {
        return source != null;
    }
}
