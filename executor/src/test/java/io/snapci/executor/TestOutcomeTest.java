package io.snapci.executor;

import io.snapci.model.Phase;
import io.snapci.model.TestCounts;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TestOutcomeTest {

    private static final TestCounts GREEN = new TestCounts(5, 0, 0, 0, List.of());
    private static final TestCounts ONE_RED = new TestCounts(5, 1, 0, 0,
            List.of(new TestCounts.TestFailure("gb.EntriesTest", "listsAll", "invalid JSON at entry by 'Zoë'")));

    @Test
    void exitZeroAndGreenReportsPass() {
        TestOutcome.Decision d = TestOutcome.decide("mvn test", 0, false, GREEN, false);
        assertEquals(Phase.PASSED, d.phase());
        assertEquals(0, d.exitCode());
        assertTrue(d.message().contains("5 passed, 0 failed"));
    }

    @Test
    void aPassWithoutReportsSaysNoReportWasRead() {
        TestOutcome.Decision d = TestOutcome.decide("make check", 0, false, TestCounts.NONE, false);
        assertEquals(Phase.PASSED, d.phase());
        assertTrue(d.message().contains("no JUnit report read"), d.message());
    }

    @Test
    void aNonZeroExitFailsWithTheTestsOwnCodeAndTheFirstFailure() {
        TestOutcome.Decision d = TestOutcome.decide("mvn test", 7, false, ONE_RED, false);
        assertEquals(Phase.FAILED, d.phase());
        assertEquals(7, d.exitCode());
        assertTrue(d.message().contains("gb.EntriesTest.listsAll: invalid JSON at entry by 'Zoë'"), d.message());
    }

    @Test
    void redReportsFailEvenWhenTheCommandExitedZero() {
        TestOutcome.Decision d = TestOutcome.decide("npm test", 0, false, ONE_RED, false);
        assertEquals(Phase.FAILED, d.phase());
        assertEquals(1, d.exitCode(), "CI must see a failure");
    }

    @Test
    void aCommandTheShellCouldNotRunIsAnInfrastructureError() {
        assertEquals(Phase.ERROR, TestOutcome.decide("mvnn test", 127, false, TestCounts.NONE, false).phase());
        assertEquals(Phase.ERROR, TestOutcome.decide("./run.sh", 126, false, TestCounts.NONE, false).phase());
        assertTrue(TestOutcome.decide("mvnn test", 127, false, TestCounts.NONE, false).message()
                .contains("'mvnn test'"));
    }

    @Test
    void aTimeoutIsATestFailureWithTimeoutsExitCode() {
        TestOutcome.Decision d = TestOutcome.decide("mvn test", 143, true, GREEN, false);
        assertEquals(Phase.FAILED, d.phase());
        assertEquals(TestOutcome.TIMED_OUT, d.exitCode());
    }

    @Test
    void aCassandraThatDiedDuringTheTestsIsMentioned() {
        assertTrue(TestOutcome.decide("mvn test", 1, false, ONE_RED, true).message().contains("Cassandra exited"));
    }
}
