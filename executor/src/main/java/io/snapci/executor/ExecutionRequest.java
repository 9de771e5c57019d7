package io.snapci.executor;

import io.snapci.executor.cassandra.CassandraDirectories;
import io.snapci.executor.cassandra.CassandraRuntime;
import io.snapci.model.CassandraSettings;
import io.snapci.model.Timeouts;
import io.snapci.model.mask.MaskRules;

import java.nio.file.Path;
import java.util.Map;

/**
 * One execution: boot Cassandra on {@code dirs}, run {@code testCommand} against it, read its JUnit reports.
 *
 * @param runId       the run this executes, for names and the test environment
 * @param dirs        the copy to boot on (must be a snapci copy)
 * @param runDir      where configuration and logs of this execution go
 * @param runtime     the Cassandra jars and java binary
 * @param cassandra   node settings
 * @param timeouts    readiness and test timeouts
 * @param testCommand the shell command that runs the tests
 * @param workDir     where the test command runs
 * @param env         extra environment for the test command (the Cassandra variables always win)
 * @param junitGlob   where the reports are, relative to workDir; may be null
 * @param junitOut    where to write the merged JUnit XML; may be null
 * @param mask        the masking of the copy before the tests (none: no MASKING phase)
 * @param maskKey     the secret the masking hash is keyed with; null: a random key for this execution
 */
public record ExecutionRequest(String runId, CassandraDirectories dirs, Path runDir, CassandraRuntime runtime,
                               CassandraSettings cassandra, Timeouts timeouts, String testCommand, Path workDir,
                               Map<String, String> env, String junitGlob, Path junitOut, MaskRules mask, String maskKey) {

    public ExecutionRequest {
        env = env == null ? Map.of() : Map.copyOf(env);
        mask = mask == null ? MaskRules.none() : mask;
    }

    /** An execution that masks nothing. */
    public ExecutionRequest(String runId, CassandraDirectories dirs, Path runDir, CassandraRuntime runtime,
                            CassandraSettings cassandra, Timeouts timeouts, String testCommand, Path workDir,
                            Map<String, String> env, String junitGlob, Path junitOut) {
        this(runId, dirs, runDir, runtime, cassandra, timeouts, testCommand, workDir, env, junitGlob, junitOut,
                null, null);
    }

    /** The key is a secret: the record's text form must never show it. */
    @Override
    public String toString() {
        return "ExecutionRequest[" + runId + ", " + dirs.root() + ", mask " + mask.describe() + "]";
    }
}
