package io.snapci.model.tasks;

import io.snapci.model.Phase;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestsTaskReportTest {

    @Test
    void readsTheReportTheTestsTaskWrites() throws IOException {
        TestsTaskReport report = TestsTaskReport.parse("""
                {"outcome":"FAILED","exitCode":1,"message":"1 of 12 tests failed: GuestbookTest.rendersEntries",
                 "tests":{"tests":12,"failures":1,"errors":0,"skipped":2,
                          "failed":[{"className":"GuestbookTest","testName":"rendersEntries","message":"bad JSON"}]}}
                """);

        assertThat(report.outcome()).isEqualTo(Phase.FAILED);
        assertThat(report.exitCode()).isEqualTo(1);
        assertThat(report.tests().tests()).isEqualTo(12);
        assertThat(report.tests().passed()).isEqualTo(9);
        assertThat(report.tests().failed()).singleElement()
                .satisfies(f -> assertThat(f.testName()).isEqualTo("rendersEntries"));
    }

    @Test
    void aReportWithoutJUnitCountsHasNone() throws IOException {
        TestsTaskReport report = TestsTaskReport.parse(
                "{\"outcome\":\"PASSED\",\"exitCode\":0,\"message\":\"Tests passed\",\"tests\":null}");
        assertThat(report.tests()).isNull();
    }

    @Test
    void somethingElseIsRefusedWithWhatItWas() {
        assertThatThrownBy(() -> TestsTaskReport.parse("{\"hello\":1}")).isInstanceOf(IOException.class)
                .hasMessageContaining("not a tests task report").hasMessageContaining("hello");
        assertThatThrownBy(() -> TestsTaskReport.parse("{\"outcome\":\"WON\",\"exitCode\":0}"))
                .hasMessageContaining("unknown outcome: WON");
    }
}
