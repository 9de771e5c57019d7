package io.snapci.model;

import java.util.EnumSet;
import java.util.Set;

/**
 * The phases of a run. The order is the happy path; every non-terminal phase may also end in ERROR or CANCELLED.
 * FAILED means the tests failed; ERROR means the infrastructure did. A CI job must always be able to tell the two
 * apart, so only the TESTING phase may lead to FAILED.
 */
public enum Phase {
    QUEUED,
    SNAPSHOTTING,
    PLACING,
    STARTING_CASSANDRA,
    /** The copy is masked (docs/masking.md) before any test sees it; only runs with masking rules pass here. */
    MASKING,
    TESTING,
    PASSED,
    FAILED,
    ERROR,
    CANCELLED;

    public boolean isTerminal() {
        return this == PASSED || this == FAILED || this == ERROR || this == CANCELLED;
    }

    /** The phases this one may move to. A terminal phase moves nowhere. */
    public Set<Phase> successors() {
        return switch (this) {
            case QUEUED -> EnumSet.of(SNAPSHOTTING, ERROR, CANCELLED);
            case SNAPSHOTTING -> EnumSet.of(PLACING, ERROR, CANCELLED);
            // A launcher may go back to PLACING when an infrastructure failure sends the run to another agent.
            case PLACING -> EnumSet.of(STARTING_CASSANDRA, ERROR, CANCELLED);
            case STARTING_CASSANDRA -> EnumSet.of(MASKING, TESTING, PLACING, ERROR, CANCELLED);
            // No way from MASKING to PLACING: a copy half masked is never handed to another attempt.
            case MASKING -> EnumSet.of(TESTING, ERROR, CANCELLED);
            case TESTING -> EnumSet.of(PASSED, FAILED, PLACING, ERROR, CANCELLED);
            case PASSED, FAILED, ERROR, CANCELLED -> EnumSet.noneOf(Phase.class);
        };
    }

    public boolean canMoveTo(Phase next) {
        return successors().contains(next);
    }
}
