package io.snapci.model;

import java.util.List;

/**
 * What the JUnit reports of one test run say: counts and the failing tests. {@code passed} is derived by the
 * reports' own rule: tests that neither failed, errored nor were skipped.
 *
 * <p>The counts are always exact; the list names at most {@value #MAX_LISTED_FAILURES} failing tests (the merged
 * JUnit XML has them all). A run record lives in a ZooKeeper znode, which holds at most 1 MB: a suite where
 * everything fails must not make its run impossible to store.
 */
public record TestCounts(int tests, int failures, int errors, int skipped, List<TestFailure> failed) {

    public static final TestCounts NONE = new TestCounts(0, 0, 0, 0, List.of());

    public static final int MAX_LISTED_FAILURES = 100;

    public TestCounts {
        failed = failed == null ? List.of()
                : List.copyOf(failed.size() > MAX_LISTED_FAILURES ? failed.subList(0, MAX_LISTED_FAILURES) : failed);
    }

    public int passed() {
        return Math.max(0, tests - failures - errors - skipped);
    }

    public boolean anyFailed() {
        return failures + errors > 0;
    }

    public TestCounts plus(TestCounts other) {
        List<TestFailure> all = new java.util.ArrayList<>(failed);
        all.addAll(other.failed);
        return new TestCounts(tests + other.tests, failures + other.failures, errors + other.errors,
                skipped + other.skipped, all);
    }

    /** "5 passed, 1 failed" (errors count as failed; skipped shown when there are any). */
    public String summary() {
        String text = passed() + " passed, " + (failures + errors) + " failed";
        return skipped > 0 ? text + ", " + skipped + " skipped" : text;
    }

    /** One failing test case: where it is and what its report said. */
    public record TestFailure(String className, String testName, String message) {
        public String displayName() {
            return className + "." + testName;
        }
    }
}
