package io.snapci.executor.junit;

import io.snapci.model.TestCounts;
import io.snapci.model.TestCounts.TestFailure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JUnitReportsTest {

    private static final String SUREFIRE = """
            <?xml version="1.0" encoding="UTF-8"?>
            <testsuite xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" name="com.acme.OrderTest" time="1.2"
                       tests="5" errors="1" skipped="1" failures="1">
              <properties><property name="java.version" value="17"/></properties>
              <testcase name="createsOrder" classname="com.acme.OrderTest" time="0.1"/>
              <testcase name="rejectsEmpty" classname="com.acme.OrderTest" time="0.1">
                <failure message="expected: &lt;1&gt; but was: &lt;2&gt;" type="org.opentest4j.AssertionFailedError"><![CDATA[org.opentest4j.AssertionFailedError: expected: <1> but was: <2>
            	at com.acme.OrderTest.rejectsEmpty(OrderTest.java:42)]]></failure>
              </testcase>
              <testcase name="readsLegacyRows" classname="com.acme.OrderTest" time="0.3">
                <error type="com.datastax.oss.driver.api.core.servererrors.InvalidQueryException"><![CDATA[com.datastax.oss.driver.api.core.servererrors.InvalidQueryException: Undefined column name total
            	at com.acme.OrderTest.readsLegacyRows(OrderTest.java:77)]]></error>
              </testcase>
              <testcase name="later" classname="com.acme.OrderTest" time="0">
                <skipped message="not run on this platform"/>
              </testcase>
              <testcase name="sometimesSlow" classname="com.acme.OrderTest" time="0.5">
                <flakyFailure message="timeout" type="java.util.concurrent.TimeoutException">
                  <stackTrace>java.util.concurrent.TimeoutException</stackTrace>
                </flakyFailure>
              </testcase>
              <system-out><![CDATA[hello]]></system-out>
            </testsuite>
            """;

    @TempDir
    Path dir;

    private final Instant runStart = Instant.now().minusSeconds(1);

    @Test
    void surefireReportCountsFromTestCases() throws IOException {
        write("target/surefire-reports/TEST-com.acme.OrderTest.xml", SUREFIRE);

        JUnitReport report = JUnitReports.collect(dir, "target/surefire-reports/*.xml", runStart);

        TestCounts counts = report.counts();
        assertEquals(5, counts.tests());
        assertEquals(1, counts.failures());
        assertEquals(1, counts.errors());
        assertEquals(1, counts.skipped());
        assertEquals(2, counts.passed(), "the flaky case passed on rerun");
        assertEquals(List.of(
                new TestFailure("com.acme.OrderTest", "rejectsEmpty", "expected: <1> but was: <2>"),
                new TestFailure("com.acme.OrderTest", "readsLegacyRows", "com.datastax.oss.driver.api.core."
                        + "servererrors.InvalidQueryException: Undefined column name total")), counts.failed());
        assertEquals(List.of(dir.resolve("target/surefire-reports/TEST-com.acme.OrderTest.xml")), report.files());
        assertTrue(report.unreadable().isEmpty());
    }

    @Test
    void rerunFailuresDoNotHideARealFailure() throws IOException {
        write("r.xml", """
                <testsuite name="S">
                  <testcase name="alwaysFails" classname="S">
                    <failure message="boom" type="AssertionError"/>
                    <rerunFailure message="boom again" type="AssertionError"/>
                  </testcase>
                  <testcase name="flaky" classname="S"><flakyError message="x" type="E"/></testcase>
                </testsuite>
                """);

        TestCounts counts = JUnitReports.collect(dir, "r.xml", runStart).counts();

        assertEquals(2, counts.tests());
        assertEquals(1, counts.failures());
        assertEquals(0, counts.errors());
        assertEquals("boom", counts.failed().get(0).message());
    }

    @Test
    void testsuitesWrapperWithNestedSuitesCountsEachCaseOnce() throws IOException {
        // jest-junit / Gradle-like wrapper, with a pytest-style nested suite and wrong suite attributes
        write("reports/junit.xml", """
                <?xml version="1.0"?>
                <testsuites name="jest tests" tests="99" failures="42">
                  <testsuite name="cart.test.js" tests="2">
                    <testcase classname="cart adds items" name="cart adds items" time="0.01"/>
                    <testcase classname="cart totals" name="cart totals" time="0.02">
                      <failure>Error: expect(received).toBe(expected)
                Expected: 3
                Received: 4
                    at Object.&lt;anonymous&gt; (cart.test.js:9:5)</failure>
                    </testcase>
                  </testsuite>
                  <testsuite name="outer">
                    <testsuite name="inner">
                      <testcase name="test_skip"><skipped type="pytest.skip" message="no db"/></testcase>
                      <testcase name="test_err"><error message="fixture 'db' not found"/></testcase>
                    </testsuite>
                    <testcase name="test_ok" classname="tests.test_outer"/>
                  </testsuite>
                </testsuites>
                """);

        TestCounts counts = JUnitReports.collect(dir, "reports/*.xml", runStart).counts();

        assertEquals(5, counts.tests());
        assertEquals(1, counts.failures());
        assertEquals(1, counts.errors());
        assertEquals(1, counts.skipped());
        assertEquals(new TestFailure("cart totals", "cart totals", "Error: expect(received).toBe(expected)"),
                counts.failed().get(0));
        assertEquals(new TestFailure("inner", "test_err", "fixture 'db' not found"), counts.failed().get(1),
                "no classname: the enclosing suite's name stands in");
    }

    @Test
    void goJunitReportShapeAndSumOverFiles() throws IOException {
        write("a/TEST-one.xml", """
                <testsuites>
                  <testsuite tests="2" failures="1" time="0.01" name="example.com/pkg">
                    <properties><property name="go.version" value="go1.22"/></properties>
                    <testcase classname="pkg" name="TestA" time="0.00"/>
                    <testcase classname="pkg" name="TestB" time="0.00"><failure message="Failed" type="">x_test.go:12: bad</failure></testcase>
                  </testsuite>
                </testsuites>
                """);
        write("b/c/TEST-two.xml", "<testsuite name=\"T\"><testcase classname=\"T\" name=\"t\"/></testsuite>");
        write("b/not-a-report.xml", "<testsuite name=\"T\"><testcase classname=\"T\" name=\"t\"/></testsuite>");

        JUnitReport report = JUnitReports.collect(dir, "**/TEST-*.xml", runStart);

        assertEquals(3, report.counts().tests());
        assertEquals(1, report.counts().failures());
        assertEquals("Failed", report.counts().failed().get(0).message());
        assertEquals(List.of(dir.resolve("a/TEST-one.xml"), dir.resolve("b/c/TEST-two.xml")), report.files());
    }

    @Test
    void doubleStarGlobAlsoMatchesAtTheTopAndMatchingIsRelativeToWorkDir() throws IOException {
        write("TEST-top.xml", "<testsuite><testcase classname=\"A\" name=\"a\"/></testsuite>");
        write("target/surefire-reports/TEST-x.xml", "<testsuite><testcase classname=\"A\" name=\"b\"/></testsuite>");
        write("other/target/surefire-reports/TEST-y.xml", "<testsuite><testcase classname=\"A\" name=\"c\"/></testsuite>");

        assertEquals(3, JUnitReports.collect(dir, "**/TEST-*.xml", runStart).counts().tests());
        assertEquals(List.of(dir.resolve("target/surefire-reports/TEST-x.xml")),
                JUnitReports.collect(dir, "target/surefire-reports/*.xml", runStart).files());
        assertEquals(List.of(dir.resolve("target/surefire-reports/TEST-x.xml")),
                JUnitReports.collect(dir, "./target/surefire-reports/*.xml", runStart).files());
        assertEquals(2, JUnitReports.collect(dir, "**/target/surefire-reports/*.xml", runStart).counts().tests());
        assertEquals(0, JUnitReports.collect(dir, "*.json", runStart).counts().tests());
    }

    @Test
    void staleReportsFromAnEarlierBuildAreIgnored() throws IOException {
        Path stale = write("target/surefire-reports/TEST-Old.xml", """
                <testsuite><testcase classname="Old" name="gone"><failure message="old failure"/></testcase></testsuite>
                """);
        Files.setLastModifiedTime(stale, FileTime.from(runStart.minus(Duration.ofHours(1))));
        Path justBefore = write("target/surefire-reports/TEST-Edge.xml", "<testsuite><testcase classname=\"E\" name=\"e\"/></testsuite>");
        // coarse mtimes: a report written right at the start may look a second older than the start
        Files.setLastModifiedTime(justBefore, FileTime.from(runStart.minusMillis(1500)));
        write("target/surefire-reports/TEST-New.xml", "<testsuite><testcase classname=\"New\" name=\"ok\"/></testsuite>");

        JUnitReport report = JUnitReports.collect(dir, "target/surefire-reports/*.xml", runStart);

        assertEquals(2, report.counts().tests());
        assertFalse(report.counts().anyFailed());
        assertFalse(report.files().contains(stale));
        assertEquals(0, JUnitReports.collect(dir, "target/surefire-reports/*.xml", runStart.plusSeconds(3600))
                .counts().tests());
        assertEquals(3, JUnitReports.collect(dir, "target/surefire-reports/*.xml", null).counts().tests());
    }

    @Test
    void malformedAndForeignFilesAreListedNotFatal() throws IOException {
        write("r/TEST-broken.xml", "<testsuite><testcase name=\"half\"");
        write("r/TEST-html.xml", "<html><body>oops</body></html>");
        write("r/TEST-good.xml", "<testsuite><testcase classname=\"G\" name=\"g\"/></testsuite>");

        JUnitReport report = JUnitReports.collect(dir, "r/*.xml", runStart);

        assertEquals(1, report.counts().tests());
        assertEquals(List.of(dir.resolve("r/TEST-good.xml")), report.files());
        assertEquals(2, report.unreadable().size());
        assertTrue(report.unreadable().get(0).startsWith("r/TEST-broken.xml: "), report.unreadable().toString());
        assertTrue(report.unreadable().get(1).contains("<html>"), report.unreadable().toString());
    }

    @Test
    void externalEntitiesAreNeverResolved() throws IOException {
        Path secret = write("secret.txt", "TOP-SECRET-VALUE");
        write("r/TEST-xxe.xml", """
                <?xml version="1.0"?>
                <!DOCTYPE testsuite [ <!ENTITY xxe SYSTEM "%s"> ]>
                <testsuite><testcase classname="X" name="x"><failure message="&xxe;"/></testcase></testsuite>
                """.formatted(secret.toUri()));

        JUnitReport report = JUnitReports.collect(dir, "r/*.xml", runStart);

        assertEquals(0, report.counts().tests());
        assertEquals(1, report.unreadable().size());
        assertFalse(report.unreadable().get(0).contains("TOP-SECRET-VALUE"));
        assertTrue(report.unreadable().get(0).contains("DOCTYPE"), report.unreadable().get(0));
    }

    @Test
    void blankGlobOrMissingDirectoryGiveAnEmptyReport() {
        assertEquals(JUnitReport.EMPTY, JUnitReports.collect(dir, null, runStart));
        assertEquals(JUnitReport.EMPTY, JUnitReports.collect(dir, "  ", runStart));
        assertEquals(TestCounts.NONE, JUnitReports.collect(dir.resolve("nope"), "**/*.xml", runStart).counts());
    }

    @Test
    void longMessagesAreCut() throws IOException {
        write("r.xml", "<testsuite><testcase classname=\"L\" name=\"l\"><failure message=\"" + "x".repeat(2000)
                + "\"/></testcase></testsuite>");

        String message = JUnitReports.collect(dir, "r.xml", runStart).counts().failed().get(0).message();

        assertEquals(ReportCounter.MAX_MESSAGE + 1, message.length());
    }

    @Test
    void mergedOutputParsesBackToTheSameCounts() throws IOException {
        write("target/surefire-reports/TEST-com.acme.OrderTest.xml", SUREFIRE);
        write("web/junit.xml", """
                <testsuites>
                  <testsuite name="cart.test.js"><testcase classname="c" name="one"/><testcase classname="c" name="two"><failure>bad</failure></testcase></testsuite>
                  <testsuite name="outer"><testsuite name="inner"><testcase name="deep"><skipped/></testcase></testsuite></testsuite>
                </testsuites>
                """);
        JUnitReport report = JUnitReports.collect(dir, "**/*.xml", runStart);
        Path out = dir.resolve("out/ci/merged-junit.xml");

        JUnitReports.writeMerged(report.files(), out);

        JUnitReport merged = JUnitReports.collect(dir, "out/ci/merged-junit.xml", runStart);
        assertTrue(merged.unreadable().isEmpty(), merged.unreadable().toString());
        assertEquals(report.counts(), merged.counts());
        String xml = Files.readString(out);
        assertTrue(xml.contains("<testsuites errors=\"1\" failures=\"2\" skipped=\"2\" tests=\"8\">"), xml);
        assertTrue(xml.contains("<![CDATA[hello]]>"), "suite content is copied as it was");
        assertTrue(xml.contains("<property name=\"java.version\" value=\"17\"/>"), xml);
    }

    @Test
    void mergingReplacesAnOldFile() throws IOException {
        Path one = write("r/one.xml", "<testsuite name=\"one\"><testcase classname=\"A\" name=\"a\"/></testsuite>");
        Path out = write("merged.xml", "old content");

        JUnitReports.writeMerged(List.of(one), out);

        assertEquals(1, JUnitReports.collect(dir, "merged.xml", null).counts().tests());
        try (var files = Files.list(dir)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")));
        }
    }

    private Path write(String relative, String content) throws IOException {
        Path file = dir.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content, StandardCharsets.UTF_8);
        return file;
    }
}
