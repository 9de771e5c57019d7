package io.snapci.model;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TestCountsTest {

    private static List<TestCounts.TestFailure> failures(int n) {
        return IntStream.range(0, n).mapToObj(i -> new TestCounts.TestFailure("SuiteTest", "case" + i, "boom")).toList();
    }

    @Test
    void aSuiteWhereEverythingFailsKeepsExactCountsButListsOnlyTheFirstHundred() {
        TestCounts counts = new TestCounts(5000, 5000, 0, 0, failures(5000));

        assertEquals(5000, counts.failures());
        assertEquals(TestCounts.MAX_LISTED_FAILURES, counts.failed().size());
        assertEquals("case0", counts.failed().get(0).testName());
    }

    @Test
    void addingTwoReportsKeepsTheCapToo() {
        TestCounts merged = new TestCounts(80, 80, 0, 0, failures(80)).plus(new TestCounts(80, 80, 0, 0, failures(80)));

        assertEquals(160, merged.failures());
        assertEquals(TestCounts.MAX_LISTED_FAILURES, merged.failed().size());
    }
}
