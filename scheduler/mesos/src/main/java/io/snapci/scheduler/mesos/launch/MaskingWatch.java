package io.snapci.scheduler.mesos.launch;

import io.snapci.model.Phase;
import io.snapci.model.tasks.NodeTask;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Follows a masked run's cassandra task while it masks the copy (docs/masking.md): the node launcher prints the
 * MASKING phase and its progress to its stdout as a local run tells its listener, and this reads that output from the
 * agent ({@link NodeLogs}, one read in flight per run) and tells the run service the same. Only the launcher's own
 * {@code [snapci]} lines count: they name tables and row counts, never a value.
 */
final class MaskingWatch {

    private static final String MASKING = NodeTask.phaseLine(Phase.MASKING, "");

    /** Where each run's reading stands; the attempt number keeps a late answer of a lost attempt out. */
    private static final class Position {
        final int attempt;
        long offset;
        boolean reading;
        String partial = "";

        Position(int attempt) {
            this.attempt = attempt;
        }
    }

    private final Map<String, Position> positions = new HashMap<>();

    /** Whether the run's node output is worth reading now: masked, its node running, not yet ready or decided. */
    boolean wants(RunAttempt attempt, String cassandraTaskId) {
        return !attempt.run.spec().mask().isEmpty() && attempt.agentUrl != null && !attempt.cassandraReady
                && attempt.verdict == null && !attempt.retry && attempt.running.contains(cassandraTaskId);
    }

    /** The offset to read from, or -1 when a read of this attempt is still under way. */
    long startReading(RunAttempt attempt) {
        Position at = positions.get(attempt.runId());
        if (at == null || at.attempt != attempt.attempt) {
            at = new Position(attempt.attempt);
            positions.put(attempt.runId(), at);
        }
        if (at.reading) {
            return -1;
        }
        at.reading = true;
        return at.offset;
    }

    /** What a read returned ({@code null}: nothing): whole lines are told, a partial one waits for the next read. */
    void read(RunAttempt attempt, int attemptNumber, String text) {
        Position at = positions.get(attempt.runId());
        if (at == null || at.attempt != attemptNumber) {
            return;
        }
        at.reading = false;
        if (text == null || text.isEmpty() || attempt.verdict != null || attempt.cassandraReady) {
            return;
        }
        at.offset += text.getBytes(StandardCharsets.UTF_8).length;
        String all = at.partial + text;
        int end = all.lastIndexOf('\n');
        at.partial = all.substring(end + 1);
        if (end < 0) {
            return;
        }
        for (String line : all.substring(0, end).split("\n")) {
            tell(attempt, line.strip());
        }
    }

    /** The MASKING phase, then every launcher line after it as progress; anything else (Cassandra's own) is not. */
    private static void tell(RunAttempt attempt, String line) {
        if (line.startsWith(MASKING)) {
            attempt.phase(Phase.MASKING, line.substring(MASKING.length()));
        } else if (line.startsWith(NodeTask.OUTPUT_PREFIX) && attempt.hasReported(Phase.MASKING)) {
            attempt.listener.onProgress(line.substring(NodeTask.OUTPUT_PREFIX.length()));
        }
    }

    /** The run has ended or moved on: its position goes. */
    void forget(String runId) {
        positions.remove(runId);
    }
}
