package io.snapci.executor;

import io.snapci.model.ExecutionListener;

import io.snapci.executor.cassandra.CassandraStartException;
import io.snapci.executor.cassandra.CqlReadiness;
import io.snapci.executor.junit.JUnitReport;
import io.snapci.executor.junit.JUnitReports;
import io.snapci.executor.testcmd.TestCommand;
import io.snapci.executor.testcmd.TestCommandResult;
import io.snapci.executor.testcmd.TestCommandRunner;
import io.snapci.model.Phase;
import io.snapci.model.Timeouts;
import io.snapci.model.tasks.TestsTask;
import io.snapci.model.tasks.TestsTaskReport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The tests task of a cluster run (the executor library's Mesos face): Cassandra is a sibling task in the same
 * task group, so this waits until it answers CQL, runs the test command with the same runner as local mode, reads
 * the JUnit reports, leaves {@value TestsTask#RESULT_FILE} and {@value TestsTask#JUNIT_FILE} in the sandbox for the scheduler, and
 * exits with the code a CI job should see (so TASK_FINISHED means passed, TASK_FAILED failed or broken).
 *
 * <p>Configuration comes from the environment the scheduler sets: {@code CASSANDRA_HOST}, {@code CASSANDRA_PORT},
 * {@code CASSANDRA_DC}, {@code SNAPCI_TEST_COMMAND}, optional {@code SNAPCI_JUNIT_GLOB},
 * {@code SNAPCI_CASSANDRA_READY_TIMEOUT} and {@code SNAPCI_TEST_TIMEOUT} (ISO-8601 durations), and the sandbox
 * ({@code MESOS_SANDBOX}, else the working directory). The test command runs in the task's working directory, and
 * its JUnit glob is relative to it.
 */
public final class TestsTaskMain {

    static final int INFRASTRUCTURE = TestsTask.EXIT_INFRASTRUCTURE;

    private TestsTaskMain() {
    }

    public static void main(String[] args) {
        System.exit(run(System.getenv(), ExecutionListener.NONE));
    }

    /** Does the whole task; returns the exit code. Output goes to this process's stdout/stderr (the sandbox logs). */
    public static int run(Map<String, String> env, ExecutionListener listener) {
        // The test command runs where the container starts the task: the test image's WORKDIR (Mesos' docker/runtime
        // isolator makes it the cwd), where the user's tests are, or the sandbox for an image without one. Only
        // snapci's own files (the launcher, the result, the merged JUnit) are addressed through the sandbox.
        return run(env, Path.of("").toAbsolutePath(), listener);
    }

    /** The task with the test command run in {@code workDir} (its JUnit glob relative to it). */
    public static int run(Map<String, String> env, Path workDir, ExecutionListener listener) {
        Path sandbox = Path.of(env.getOrDefault(TestsTask.MESOS_SANDBOX, "")).toAbsolutePath();
        String command = env.get(TestsTask.TEST_COMMAND);
        if (command == null || command.isBlank()) {
            return report(sandbox, Phase.ERROR, INFRASTRUCTURE, TestsTask.TEST_COMMAND + " is not set", null);
        }
        String host = env.getOrDefault(TestsTask.CASSANDRA_HOST, "127.0.0.1");
        int port = Integer.parseInt(env.getOrDefault(TestsTask.CASSANDRA_PORT, "9042"));
        Timeouts timeouts = new Timeouts(duration(env.get(TestsTask.READY_TIMEOUT)),
                duration(env.get(TestsTask.TEST_TIMEOUT)), null);
        try {
            String version = CqlReadiness.await(host, port, env.getOrDefault(TestsTask.CASSANDRA_DC, "datacenter1"),
                    timeouts.cassandraReady(), () -> false);
            System.out.println("[snapci] Cassandra " + version + " answers CQL at " + host + ":" + port);
        } catch (CassandraStartException e) {
            return report(sandbox, Phase.ERROR, INFRASTRUCTURE, e.getMessage(), null);
        }
        TestCommandRunner runner = new TestCommandRunner();
        TestCommandResult result = runner.run(new TestCommand(command, workDir, env, timeouts.tests(), sandbox),
                new ExecutionListener() {
                    @Override
                    public void onTestOutput(String line, boolean stderr) {
                        (stderr ? System.err : System.out).println(line);
                        listener.onTestOutput(line, stderr);
                    }
                });
        JUnitReport junit = JUnitReports.collect(workDir, env.get(TestsTask.JUNIT_GLOB), result.startedAt());
        if (!junit.files().isEmpty()) {
            try {
                JUnitReports.writeMerged(junit.files(), sandbox.resolve(TestsTask.JUNIT_FILE));
            } catch (IOException e) {
                System.err.println("[snapci] could not write " + TestsTask.JUNIT_FILE + ": " + e.getMessage());
            }
        }
        TestOutcome.Decision decision = TestOutcome.decide(command, result.exitCode(), result.timedOut(),
                junit.counts(), false);
        int exit = decision.phase() == Phase.ERROR ? INFRASTRUCTURE : decision.exitCode();
        return report(sandbox, decision.phase(), exit, decision.message(), junit);
    }

    private static int report(Path sandbox, Phase phase, int exit, String message, JUnitReport junit) {
        TestsTaskReport report = new TestsTaskReport(phase, exit, message, junit == null ? null : junit.counts());
        try {
            Files.writeString(sandbox.resolve(TestsTask.RESULT_FILE), report.toJson());
        } catch (IOException e) {
            System.err.println("[snapci] could not write " + TestsTask.RESULT_FILE + ": " + e.getMessage());
        }
        System.out.println("[snapci] " + phase + ": " + message);
        return exit;
    }

    private static Duration duration(String iso) {
        return iso == null || iso.isBlank() ? null : Duration.parse(iso);
    }
}
