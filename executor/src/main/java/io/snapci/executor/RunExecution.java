package io.snapci.executor;

import io.snapci.model.ExecutionListener;

import io.snapci.model.ExecutionResult;

import io.snapci.executor.cassandra.CassandraDirectories;
import io.snapci.executor.cassandra.CassandraNode;
import io.snapci.executor.cassandra.CassandraStartException;
import io.snapci.executor.cassandra.CopyNode;
import io.snapci.executor.cassandra.NodeConfig;
import io.snapci.executor.cassandra.NodePorts;
import io.snapci.executor.junit.JUnitReport;
import io.snapci.executor.mask.CopyMasking;
import io.snapci.executor.mask.MaskingException;
import io.snapci.executor.junit.JUnitReports;
import io.snapci.executor.testcmd.TestCommand;
import io.snapci.executor.testcmd.TestCommandException;
import io.snapci.executor.testcmd.TestCommandResult;
import io.snapci.executor.testcmd.TestCommandRunner;
import io.snapci.model.Phase;
import io.snapci.model.TestCounts;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;

/**
 * One execution of a run next to its data: boot Cassandra on the copy, wait for CQL, run the tests against it,
 * read their reports, stop Cassandra. Whatever happens, no process of it outlives {@link #run}.
 * This is the library both local mode and the Mesos task use.
 */
public final class RunExecution {

    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(15);

    private final ExecutionRequest request;
    private final TestCommandRunner tests = new TestCommandRunner();
    private volatile CassandraNode node;
    private volatile boolean cancelled;

    public RunExecution(ExecutionRequest request) {
        this.request = request;
    }

    /** Stops the execution from another thread: kills the tests and Cassandra; {@link #run} returns CANCELLED. */
    public void cancel() {
        cancelled = true;
        tests.cancel();
        CassandraNode current = node;
        if (current != null) {
            current.kill();
        }
    }

    public ExecutionResult run(ExecutionListener listener) {
        if (!request.dirs().isSnapciCopy()) {
            return ExecutionResult.error("Refusing to boot Cassandra on " + request.dirs().root() + ": it is not a "
                    + "snapci copy (no " + CassandraDirectories.CLONE_MARKER + "). snapci never boots on source data.");
        }
        try {
            TestCommandRunner.preflight(request.testCommand(), request.workDir(), request.env());
        } catch (TestCommandException e) {
            return ExecutionResult.error(e.getMessage());
        }
        try {
            return bootAndTest(listener);
        } finally {
            CassandraNode current = node;
            if (current != null) {
                listener.onProgress("stopping Cassandra");
                current.stop(DRAIN_TIMEOUT);
            }
        }
    }

    private ExecutionResult bootAndTest(ExecutionListener listener) {
        listener.onPhase(Phase.STARTING_CASSANDRA, "booting Cassandra on " + request.dirs().root());
        long launchedAt = System.nanoTime();
        NodeConfig config;
        try {
            config = startReadyNode(listener);
        } catch (CassandraStartException e) {
            return cancelled ? ExecutionResult.cancelled("cancelled while Cassandra was starting")
                    : ExecutionResult.error(e.getMessage());
        } catch (NodePorts.PortInUseException | IOException | IllegalStateException e) {
            return ExecutionResult.error(e.getMessage());
        }
        long readyMillis = (System.nanoTime() - launchedAt) / 1_000_000;
        listener.onCassandraReady(readyMillis);
        listener.onProgress(String.format("Cassandra ready after %.1f s on %s:%d", readyMillis / 1000.0,
                NodeConfig.HOST, config.ports().cql()));
        if (cancelled) {
            return ExecutionResult.cancelled("cancelled before the tests started");
        }
        if (!request.mask().isEmpty()) {
            try {
                CopyMasking.mask(node, config, request.mask(), request.maskKey(), listener, () -> cancelled);
            } catch (MaskingException e) {
                // Never on to the tests: a copy that is not fully masked is not seen by anyone.
                return cancelled ? ExecutionResult.cancelled("cancelled while the copy was masked")
                        : ExecutionResult.error(e.getMessage());
            }
            if (cancelled) {
                return ExecutionResult.cancelled("cancelled after masking, before the tests started");
            }
        }
        return test(listener, config, readyMillis);
    }

    private NodeConfig startReadyNode(ExecutionListener listener)
            throws CassandraStartException, NodePorts.PortInUseException, IOException {
        CopyNode.Request boot = new CopyNode.Request(request.runId(), request.dirs(), request.runDir(),
                request.runtime(), request.cassandra(), null, request.timeouts().cassandraReady());
        return CopyNode.boot(boot, listener, () -> cancelled, started -> node = started).config();
    }

    private ExecutionResult test(ExecutionListener listener, NodeConfig config, long readyMillis) {
        Map<String, String> env = TestEnvironment.of(request.env(), request.runId(), config);
        listener.onPhase(Phase.TESTING, "running tests: " + request.testCommand());
        TestCommandResult result = tests.run(new TestCommand(request.testCommand(), request.workDir(), env,
                request.timeouts().tests(), request.runDir()), listener);
        JUnitReport report = JUnitReports.collect(request.workDir(), request.junitGlob(), result.startedAt());
        report.unreadable().forEach(problem -> listener.onProgress("unreadable JUnit report: " + problem));
        if (request.junitOut() != null && !report.files().isEmpty()) {
            try {
                JUnitReports.writeMerged(report.files(), request.junitOut());
                listener.onProgress("merged JUnit XML written to " + request.junitOut());
            } catch (IOException e) {
                listener.onProgress("could not write merged JUnit XML to " + request.junitOut() + ": "
                        + e.getMessage());
            }
        }
        TestCounts counts = report.counts();
        if (result.cancelled() || cancelled) {
            return new ExecutionResult(Phase.CANCELLED, "cancelled while the tests ran", null, counts, readyMillis,
                    result.stdoutLog(), result.stderrLog(), config.systemLog());
        }
        TestOutcome.Decision decision = TestOutcome.decide(request.testCommand(), result.exitCode(),
                result.timedOut(), counts, !node.isAlive());
        return new ExecutionResult(decision.phase(), decision.message(), decision.exitCode(), counts, readyMillis,
                result.stdoutLog(), result.stderrLog(), config.systemLog());
    }
}
