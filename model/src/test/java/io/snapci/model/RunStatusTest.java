package io.snapci.model;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RunStatusTest {

    private static final Instant T0 = Instant.parse("2026-11-25T06:00:00Z");

    private static RunSpec spec() {
        return new RunSpec(Source.dataDir("/var/lib/cassandra"), "mvn -q test", null, "/ci/app",
                Map.of("PROFILE", "ci"), "target/surefire-reports/*.xml",
                new Timeouts(Duration.ofSeconds(90), null, null), null, Map.of("job", "42"));
    }

    @Test
    void movesRecordEveryPhaseWithItsTime() {
        RunStatus run = RunStatus.queued("r1", spec(), T0)
                .withPhase(Phase.SNAPSHOTTING, "copying", T0.plusSeconds(1))
                .withPhase(Phase.PLACING, null, T0.plusSeconds(2));
        assertEquals(Phase.PLACING, run.phase());
        assertEquals(List.of(Phase.QUEUED, Phase.SNAPSHOTTING, Phase.PLACING),
                run.history().stream().map(RunStatus.PhaseChange::phase).toList());
        assertEquals(T0, run.createdAt());
    }

    @Test
    void refusesAMoveTheStateMachineDoesNotAllow() {
        RunStatus run = RunStatus.queued("r1", spec(), T0);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> run.withPhase(Phase.PASSED, null, T0));
        assertTrue(e.getMessage().contains("QUEUED to PASSED"));
    }

    @Test
    void roundTripsThroughJson() throws Exception {
        RunStatus run = RunStatus.queued("r1", spec(), T0)
                .withPhase(Phase.SNAPSHOTTING, "copying", T0.plusSeconds(1))
                .withClone("/clones/r1", "linked 3 files")
                .withTestResult(1, new TestCounts(3, 1, 0, 0,
                        List.of(new TestCounts.TestFailure("a.B", "c", "expected valid JSON"))))
                .withCleanedUp(true);
        String json = Json.mapper().writeValueAsString(run);
        assertEquals(run, Json.mapper().readValue(json, RunStatus.class));
    }

    @Test
    void specRejectsWhatCannotRun() {
        assertThrows(IllegalArgumentException.class, () -> new RunSpec(null, " ", null, null, null, null, null,
                null, null));
        IllegalArgumentException env = assertThrows(IllegalArgumentException.class, () -> new RunSpec(null, "true",
                null, null, Map.of("BAD-NAME", "x"), null, null, null, null));
        assertTrue(env.getMessage().contains("BAD-NAME"));
        assertThrows(IllegalArgumentException.class, () -> new Timeouts(Duration.ZERO, null, null));
        assertThrows(IllegalArgumentException.class, () -> new CassandraSettings("lots", null, null, null, null, null));
        assertThrows(IllegalArgumentException.class, () -> new Source(null, null));
        assertThrows(IllegalArgumentException.class, () -> new Source("/a", "vol"));
    }

    @Test
    void countsSayHowManyPassed() {
        TestCounts counts = new TestCounts(10, 2, 1, 3, List.of());
        assertEquals(4, counts.passed());
        assertEquals("4 passed, 3 failed, 3 skipped", counts.summary());
        assertTrue(counts.anyFailed());
    }
}
