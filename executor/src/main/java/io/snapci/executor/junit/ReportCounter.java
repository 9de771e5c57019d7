package io.snapci.executor.junit;

import io.snapci.model.TestCounts;
import io.snapci.model.TestCounts.TestFailure;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

import java.util.ArrayList;
import java.util.List;

/**
 * Counts a JUnit XML tree from its {@code <testcase>} elements. The suites' own tests/failures/errors attributes are
 * ignored: some tools omit them, others get them wrong (nested suites counted twice, reruns counted as failures).
 */
final class ReportCounter {

    /** Enough to recognize an assertion; stack traces belong in the report itself. */
    static final int MAX_MESSAGE = 500;

    private ReportCounter() {
    }

    static boolean isReportRoot(Element root) {
        return "testsuite".equals(root.getTagName()) || "testsuites".equals(root.getTagName());
    }

    /** Every test case anywhere under {@code root}, nested suites included, each counted once. */
    static TestCounts count(Element root) {
        NodeList cases = root.getElementsByTagName("testcase");
        int failures = 0;
        int errors = 0;
        int skipped = 0;
        List<TestFailure> failed = new ArrayList<>();
        for (int i = 0; i < cases.getLength(); i++) {
            Element testCase = (Element) cases.item(i);
            // Surefire marks a case that passed on a rerun with <flakyFailure>/<flakyError>; a case that failed
            // every rerun has <failure> besides its <rerunFailure>s. So only these three children decide.
            Element failure = child(testCase, "failure");
            Element error = child(testCase, "error");
            if (failure != null || error != null) {
                if (failure != null) {
                    failures++;
                } else {
                    errors++;
                }
                failed.add(new TestFailure(className(testCase), testCase.getAttribute("name"),
                        message(failure != null ? failure : error)));
            } else if (child(testCase, "skipped") != null) {
                skipped++;
            }
        }
        return new TestCounts(cases.getLength(), failures, errors, skipped, failed);
    }

    private static Element child(Element parent, String name) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && name.equals(e.getTagName())) {
                return e;
            }
        }
        return null;
    }

    /** {@code classname} as JUnit tools write it; else the enclosing suite's name (some Jest/pytest setups). */
    private static String className(Element testCase) {
        for (String attribute : new String[]{"classname", "class"}) {
            if (!testCase.getAttribute(attribute).isBlank()) {
                return testCase.getAttribute(attribute);
            }
        }
        for (Node n = testCase.getParentNode(); n instanceof Element e; n = n.getParentNode()) {
            if ("testsuite".equals(e.getTagName()) && !e.getAttribute("name").isBlank()) {
                return e.getAttribute("name");
            }
        }
        return "";
    }

    /** The {@code message} attribute, else the first line of the element's text (often the stack trace's). */
    static String message(Element failure) {
        String message = failure.getAttribute("message").strip();
        if (message.isEmpty()) {
            message = failure.getTextContent().strip().lines().findFirst().orElse("").strip();
        }
        if (message.isEmpty()) {
            message = failure.getAttribute("type").strip();
        }
        return message.length() <= MAX_MESSAGE ? message : message.substring(0, MAX_MESSAGE) + "…";
    }
}
