package io.snapci.executor.junit;

import io.snapci.model.TestCounts;

import java.nio.file.Path;
import java.util.List;

/**
 * What the JUnit XML files of one test run add up to.
 *
 * @param counts     summed over every readable report
 * @param files      the reports that were counted, in a stable order
 * @param unreadable one "path: reason" entry per matching file that could not be read as a JUnit report
 */
public record JUnitReport(TestCounts counts, List<Path> files, List<String> unreadable) {

    public static final JUnitReport EMPTY = new JUnitReport(TestCounts.NONE, List.of(), List.of());

    public JUnitReport {
        counts = counts == null ? TestCounts.NONE : counts;
        files = files == null ? List.of() : List.copyOf(files);
        unreadable = unreadable == null ? List.of() : List.copyOf(unreadable);
    }
}
