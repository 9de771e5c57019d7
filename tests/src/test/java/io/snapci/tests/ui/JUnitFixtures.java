package io.snapci.tests.ui;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The JUnit reports the UI stories' test commands "produce": each command copies one of these from
 * {@code fixtures/} under its work directory into the folder its run's {@code junitGlob} reads.
 */
final class JUnitFixtures {

    private JUnitFixtures() {
    }

    /** {@code fixtures/passing.xml}: 2 tests, both passing. */
    static void writePassing(Path workDir) throws IOException {
        Files.writeString(fixtures(workDir).resolve("passing.xml"), """
                <testsuite name="shop.CartTest" tests="2" failures="0" errors="0" skipped="0">
                  <testcase classname="shop.CartTest" name="adds"/>
                  <testcase classname="shop.CartTest" name="removes"/>
                </testsuite>
                """);
    }

    /** {@code fixtures/failing.xml}: 3 tests, one failing. */
    static void writeFailing(Path workDir) throws IOException {
        Files.writeString(fixtures(workDir).resolve("failing.xml"), """
                <testsuite name="shop.GuestbookTest" tests="3" failures="1" errors="0" skipped="0">
                  <testcase classname="shop.GuestbookTest" name="listsEntries"/>
                  <testcase classname="shop.GuestbookTest" name="savesEntries"/>
                  <testcase classname="shop.GuestbookTest" name="rendersQuotes">
                    <failure message="expected: &lt;Hello &quot;Ann&quot;&gt; but was: &lt;Hello Ann&gt;"
                             type="org.opentest4j.AssertionFailedError">at shop.GuestbookTest.rendersQuotes</failure>
                  </testcase>
                </testsuite>
                """);
    }

    private static Path fixtures(Path workDir) throws IOException {
        return Files.createDirectories(workDir.resolve("fixtures"));
    }
}
