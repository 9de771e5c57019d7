package io.snapci.cli;

import io.snapci.model.Phase;
import io.snapci.model.RunSpec;
import io.snapci.model.RunStatus;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ExitCodesTest {

    private static RunStatus ended(Phase phase, Integer exit) {
        Instant t = Instant.EPOCH;
        RunStatus run = RunStatus.queued("r", new RunSpec(null, "true", null, null, null, null, null, null, null), t)
                .withPhase(Phase.SNAPSHOTTING, null, t).withPhase(Phase.PLACING, null, t)
                .withPhase(Phase.STARTING_CASSANDRA, null, t).withPhase(Phase.TESTING, null, t);
        return run.withTestResult(exit, null).withPhase(phase, null, t);
    }

    @Test
    void aCiJobCanTellPassedFailedAndBrokenApart() {
        assertEquals(0, ExitCodes.of(ended(Phase.PASSED, 0)));
        assertEquals(7, ExitCodes.of(ended(Phase.FAILED, 7)));
        assertEquals(1, ExitCodes.of(ended(Phase.FAILED, 0)));
        assertEquals(1, ExitCodes.of(ended(Phase.FAILED, null)));
        assertEquals(3, ExitCodes.of(ended(Phase.ERROR, 127)));
        assertEquals(130, ExitCodes.of(ended(Phase.CANCELLED, null)));
    }
}
