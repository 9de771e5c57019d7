package io.snapci.model;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class TestCountsTest {

    private static List<TestCounts.TestFailure> failures(int n) {
        return IntStream.range(0, n).mapToObj(i -> new TestCounts.TestFailure("SuiteTest", "case" + i, "boom")).toList();
    }

    @Test
    void aSuiteWhereEverythingFailsKeepsExactCountsButListsOnlyTheFirstHundred() {
        TestCounts counts = new TestCounts(5000, 5000, 0, 0, failures(5000));

        assertThat(counts.failures()).isEqualTo(5000);
        assertThat(counts.failed()).hasSize(TestCounts.MAX_LISTED_FAILURES);
        assertThat(counts.failed().get(0).testName()).isEqualTo("case0");
    }

    @Test
    void addingTwoReportsKeepsTheCapToo() {
        TestCounts merged = new TestCounts(80, 80, 0, 0, failures(80)).plus(new TestCounts(80, 80, 0, 0, failures(80)));

        assertThat(merged.failures()).isEqualTo(160);
        assertThat(merged.failed()).hasSize(TestCounts.MAX_LISTED_FAILURES);
    }
}
