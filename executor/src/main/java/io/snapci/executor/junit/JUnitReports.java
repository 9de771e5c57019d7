package io.snapci.executor.junit;

import io.snapci.model.TestCounts;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

import javax.xml.transform.TransformerException;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the JUnit XML a test command wrote (Surefire, Gradle, pytest, jest-junit, go-junit-report shapes) and merges
 * it into one file for the CI system.
 */
public final class JUnitReports {

    private JUnitReports() {
    }

    /**
     * Sums the reports matching {@code glob} (relative to {@code workDir}, e.g. {@code **}{@code /TEST-*.xml})
     * that were modified at or after {@code notBefore} (less a little slack); older ones are a previous build's.
     * A file that is not a readable JUnit report is listed in {@link JUnitReport#unreadable()}, not counted.
     * A {@code null} or blank glob, or a {@code null} notBefore meaning "any age", never fails.
     */
    public static JUnitReport collect(Path workDir, String glob, Instant notBefore) {
        if (glob == null || glob.isBlank() || workDir == null) {
            return JUnitReport.EMPTY;
        }
        String relativeGlob = glob.strip().startsWith("./") ? glob.strip().substring(2) : glob.strip();
        TestCounts counts = TestCounts.NONE;
        List<Path> files = new ArrayList<>();
        List<String> unreadable = new ArrayList<>();
        for (Path file : ReportFinder.find(workDir, relativeGlob, notBefore)) {
            try {
                counts = counts.plus(ReportCounter.count(reportRoot(file)));
                files.add(file);
            } catch (IOException | SAXException | RuntimeException e) {
                unreadable.add(workDir.relativize(file) + ": " + reason(e));
            }
        }
        return new JUnitReport(counts, files, unreadable);
    }

    /**
     * Writes one {@code <testsuites>} document holding every {@code <testsuite>} of {@code files}, copied node for
     * node, with totals counted the same way as {@link #collect}. Files that cannot be read are left out (collect
     * already reported them). The file is replaced atomically, so a CI system never reads half of it.
     */
    public static void writeMerged(List<Path> files, Path out) throws IOException {
        Document merged = SafeXml.newBuilder().newDocument();
        Element root = merged.createElement("testsuites");
        merged.appendChild(root);
        for (Path file : files) {
            Element report;
            try {
                report = reportRoot(file);
            } catch (IOException | SAXException | RuntimeException e) {
                continue;
            }
            for (Element suite : topSuites(report)) {
                root.appendChild(merged.importNode(suite, true));
            }
        }
        TestCounts total = ReportCounter.count(root);
        root.setAttribute("tests", Integer.toString(total.tests()));
        root.setAttribute("failures", Integer.toString(total.failures()));
        root.setAttribute("errors", Integer.toString(total.errors()));
        root.setAttribute("skipped", Integer.toString(total.skipped()));
        write(merged, out);
    }

    private static Element reportRoot(Path file) throws IOException, SAXException {
        Element root = SafeXml.parse(file).getDocumentElement();
        if (!ReportCounter.isReportRoot(root)) {
            throw new IllegalArgumentException("not a JUnit report: the root element is <" + root.getTagName()
                    + ">, not <testsuite> or <testsuites>");
        }
        return root;
    }

    /** A {@code <testsuite>} root itself, or the suites directly under {@code <testsuites>} (nested ones stay put). */
    private static List<Element> topSuites(Element report) {
        if ("testsuite".equals(report.getTagName())) {
            return List.of(report);
        }
        List<Element> suites = new ArrayList<>();
        for (Node n = report.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && "testsuite".equals(e.getTagName())) {
                suites.add(e);
            }
        }
        return suites;
    }

    private static void write(Document document, Path out) throws IOException {
        Path target = out.toAbsolutePath();
        Files.createDirectories(target.getParent());
        Path temp = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".tmp");
        try {
            try (OutputStream stream = Files.newOutputStream(temp)) {
                SafeXml.newTransformer().transform(new DOMSource(document), new StreamResult(stream));
            } catch (TransformerException e) {
                throw new IOException("cannot write " + out + ": " + e.getMessage(), e);
            }
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static String reason(Exception e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().strip();
        return e instanceof SAXParseException p && p.getLineNumber() > 0
                ? "line " + p.getLineNumber() + ": " + message : message;
    }
}
