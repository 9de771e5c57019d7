package io.snapci.model;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PhaseTest {

    @Test
    void theHappyPathIsAllowedInOrder() {
        Phase[] path = {Phase.QUEUED, Phase.SNAPSHOTTING, Phase.PLACING, Phase.STARTING_CASSANDRA, Phase.TESTING,
                Phase.PASSED};
        for (int i = 1; i < path.length; i++) {
            assertTrue(path[i - 1].canMoveTo(path[i]), path[i - 1] + " -> " + path[i]);
        }
    }

    @ParameterizedTest
    @EnumSource(value = Phase.class, names = {"QUEUED", "SNAPSHOTTING", "PLACING", "STARTING_CASSANDRA", "TESTING"})
    void everyPhaseThatIsNotTerminalCanEndInErrorOrCancelled(Phase phase) {
        assertFalse(phase.isTerminal());
        assertTrue(phase.canMoveTo(Phase.ERROR));
        assertTrue(phase.canMoveTo(Phase.CANCELLED));
    }

    @ParameterizedTest
    @EnumSource(value = Phase.class, names = {"PASSED", "FAILED", "ERROR", "CANCELLED"})
    void terminalPhasesGoNowhere(Phase phase) {
        assertTrue(phase.isTerminal());
        assertTrue(phase.successors().isEmpty());
    }

    @ParameterizedTest
    @EnumSource(value = Phase.class, names = {"QUEUED", "SNAPSHOTTING", "PLACING", "STARTING_CASSANDRA"})
    void onlyTestingCanEndInPassedOrFailed(Phase phase) {
        assertFalse(phase.canMoveTo(Phase.PASSED));
        assertFalse(phase.canMoveTo(Phase.FAILED));
    }

    @Test
    void anInfrastructureRetryGoesBackToPlacing() {
        assertTrue(Phase.STARTING_CASSANDRA.canMoveTo(Phase.PLACING));
        assertTrue(Phase.TESTING.canMoveTo(Phase.PLACING));
        assertEquals(false, Phase.QUEUED.canMoveTo(Phase.TESTING));
    }

    @Test
    void aMaskedRunMasksBetweenTheBootAndTheTestsAndNeverLeavesAHalfMaskedCopy() {
        assertTrue(Phase.STARTING_CASSANDRA.canMoveTo(Phase.MASKING));
        assertTrue(Phase.MASKING.canMoveTo(Phase.TESTING));
        assertTrue(Phase.MASKING.canMoveTo(Phase.ERROR));
        assertTrue(Phase.MASKING.canMoveTo(Phase.CANCELLED));
        assertFalse(Phase.MASKING.canMoveTo(Phase.FAILED), "only tests fail");
        assertFalse(Phase.MASKING.canMoveTo(Phase.PLACING), "a half-masked copy is not retried elsewhere");
        assertFalse(Phase.MASKING.canMoveTo(Phase.PASSED));
        assertFalse(Phase.MASKING.isTerminal());
    }
}
