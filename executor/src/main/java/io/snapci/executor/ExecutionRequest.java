package io.snapci.executor;

import io.snapci.executor.cassandra.CassandraDirectories;
import io.snapci.executor.cassandra.CassandraRuntime;
import io.snapci.model.CassandraSettings;
import io.snapci.model.Timeouts;

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
 */
public record ExecutionRequest(String runId, CassandraDirectories dirs, Path runDir, CassandraRuntime runtime,
                               CassandraSettings cassandra, Timeouts timeouts, String testCommand, Path workDir,
                               Map<String, String> env, String junitGlob, Path junitOut) {

    public ExecutionRequest {
        env = env == null ? Map.of() : Map.copyOf(env);
    }
}
