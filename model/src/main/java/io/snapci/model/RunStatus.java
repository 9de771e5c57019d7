package io.snapci.model;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Everything known about one run, as persisted by a RunStore and shown to users. Immutable: every change makes a
 * new record through one of the {@code with*} methods.
 *
 * @param id           the run's id
 * @param spec         what was asked for
 * @param phase        where the run is now
 * @param message      for ERROR/FAILED/CANCELLED: what happened and what to do; otherwise the latest progress note
 * @param history      every phase the run entered, with when
 * @param cloneId      the writable copy made for this run, once there is one
 * @param snapshot     a description of the data the copy was made from (snapshot id or source and copy time)
 * @param cassandraReadyMillis how long Cassandra took from launch to its first answered query
 * @param testExitCode the test command's exit code, once it ended
 * @param tests        what the JUnit reports said
 * @param cleanedUp    true once the copy has been deleted and no process of the run is left
 * @param placement    where the current attempt was sent, once it was
 * @param cleanupStartedAt when the run's execution ended and the deletion of its copy began (null before, and for
 *                     records written before snapci kept it): the end phase's time minus this is the cleanup
 * @param cassandraVersion the Cassandra the copy runs and why ({@link #withCassandraVersion}), or null
 * @param snapshotSpreadMillis for a cluster of volumes: the time from the first node's snapshot to the last (0 for
 *                     one group snapshot, every node at one moment); null for one node or before the copy
 */
public record RunStatus(String id, RunSpec spec, Phase phase, String message, List<PhaseChange> history,
                        String cloneId, String snapshot, Long cassandraReadyMillis, Integer testExitCode,
                        TestCounts tests, boolean cleanedUp, Placement placement, Instant cleanupStartedAt,
                        @JsonInclude(JsonInclude.Include.NON_NULL) String cassandraVersion,
                        @JsonInclude(JsonInclude.Include.NON_NULL) Long snapshotSpreadMillis,
                        @JsonInclude(JsonInclude.Include.NON_NULL) Instant dataTakenAt) {

    public RunStatus {
        history = history == null ? List.of() : List.copyOf(history);
    }

    public static RunStatus queued(String id, RunSpec spec, Instant at) {
        return new RunStatus(id, spec, Phase.QUEUED, null, List.of(new PhaseChange(Phase.QUEUED, at)),
                null, null, null, null, null, false, null, null, null, null, null);
    }

    public Instant createdAt() {
        return history.get(0).at();
    }

    /** Moves to {@code next}; refuses a move the state machine does not allow. */
    public RunStatus withPhase(Phase next, String note, Instant at) {
        if (!phase.canMoveTo(next)) {
            throw new IllegalStateException("run " + id + " cannot move from " + phase + " to " + next);
        }
        List<PhaseChange> moved = new ArrayList<>(history);
        moved.add(new PhaseChange(next, at));
        return edit(draft -> {
            draft.phase = next;
            draft.message = note;
            draft.history = moved;
        });
    }

    public RunStatus withMessage(String note) {
        return edit(draft -> draft.message = note);
    }

    public RunStatus withClone(String newCloneId, String newSnapshot) {
        return edit(draft -> { draft.cloneId = newCloneId; draft.snapshot = newSnapshot; });
    }

    public RunStatus withCassandraReady(long millis) {
        return edit(draft -> draft.cassandraReadyMillis = millis);
    }

    public RunStatus withTestResult(Integer exitCode, TestCounts counts) {
        return edit(draft -> { draft.testExitCode = exitCode; draft.tests = counts; });
    }

    public RunStatus withCleanedUp(boolean done) {
        return edit(draft -> draft.cleanedUp = done);
    }

    public RunStatus withPlacement(Placement where) {
        return edit(draft -> draft.placement = where);
    }

    public RunStatus withCleanupStarted(Instant at) {
        return edit(draft -> draft.cleanupStartedAt = at);
    }

    /**
     * The Cassandra the copy runs, as decided before the copy was made: e.g. {@code 5.0.6 (production: 4.0/4.1,
     * SSTable format nb; a newer version asked for with cassandra.version)}; {@code null} before that or when
     * nothing was detected.
     */
    public RunStatus withCassandraVersion(String version) {
        return edit(draft -> draft.cassandraVersion = version);
    }

    /** The spread of a cluster copy's snapshots ({@code snapshotSpreadMillis}). */
    public RunStatus withSnapshotSpread(Long millis) {
        return edit(draft -> draft.snapshotSpreadMillis = millis);
    }

    /**
     * When the data in the run's copy was taken from production (its snapshot's time), kept in the record so that
     * the audit log and the API still know it after another scheduler took the run over.
     */
    public RunStatus withDataTakenAt(Instant at) {
        return edit(draft -> draft.dataTakenAt = at);
    }

    /**
     * A new record: this one, with what {@code change} sets on a draft of it. {@link Draft} is the one place that
     * copies every field: a new component needs a line there and its place in {@code build()}.
     */
    private RunStatus edit(Consumer<Draft> change) {
        Draft draft = new Draft();
        change.accept(draft);
        return draft.build();
    }

    /** This record's fields that a {@code with*} method may change, to change some and build the new record. */
    private final class Draft {
        private Phase phase = RunStatus.this.phase;
        private String message = RunStatus.this.message;
        private List<PhaseChange> history = RunStatus.this.history;
        private String cloneId = RunStatus.this.cloneId;
        private String snapshot = RunStatus.this.snapshot;
        private Long cassandraReadyMillis = RunStatus.this.cassandraReadyMillis;
        private Integer testExitCode = RunStatus.this.testExitCode;
        private TestCounts tests = RunStatus.this.tests;
        private boolean cleanedUp = RunStatus.this.cleanedUp;
        private Placement placement = RunStatus.this.placement;
        private Instant cleanupStartedAt = RunStatus.this.cleanupStartedAt;
        private String cassandraVersion = RunStatus.this.cassandraVersion;
        private Long snapshotSpreadMillis = RunStatus.this.snapshotSpreadMillis;
        private Instant dataTakenAt = RunStatus.this.dataTakenAt;

        /** The new record: the same run (the enclosing record's {@code id} and {@code spec}), the draft's fields. */
        private RunStatus build() {
            return new RunStatus(id, spec, phase, message, history, cloneId, snapshot, cassandraReadyMillis,
                    testExitCode, tests, cleanedUp, placement, cleanupStartedAt, cassandraVersion, snapshotSpreadMillis,
                    dataTakenAt);
        }
    }

    /** When a run entered a phase. */
    public record PhaseChange(Phase phase, Instant at) {
    }
}
