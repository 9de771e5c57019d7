package io.snapci.tests.mask;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A test command's first step, run while the masked copy is up: what CQL returns and what the copy's files hold.
 * Arguments: the copy's directory, a file of original values (one a line), the report to write. The report says
 * {@code CQL-HIT value}, {@code FILE-HIT value path}, {@code ENTRY-EMAIL value}, {@code CUSTOMER-EMAIL value},
 * {@code ROWS table n} and {@code MESSAGE text}.
 */
public final class CopyInspection {

    public static void main(String[] args) throws Exception {
        Path copy = copyOf(Path.of(args[0]), System.getenv("SNAPCI_RUN_ID"));
        List<String> originals = Files.readAllLines(Path.of(args[1]), StandardCharsets.UTF_8);
        List<String> report = new ArrayList<>();
        try (CqlSession session = CqlSession.builder()
                .addContactPoint(new InetSocketAddress(System.getenv("CASSANDRA_HOST"),
                        Integer.parseInt(System.getenv("CASSANDRA_PORT"))))
                .withLocalDatacenter(System.getenv("CASSANDRA_DC")).build()) {
            List<String> values = new ArrayList<>();
            List<Row> entries = session.execute("SELECT * FROM guestbook.\"entries\"").all();
            report.add("ROWS entries " + entries.size());
            for (Row row : entries) {
                values.add(row.getString("author"));
                values.add(row.getString("message"));
                values.add(row.getString("author_email"));
                values.add(row.getString("author_phone"));
                if (row.getUuid("id").equals(PiiGuestbook.SHARED_ENTRY)) {
                    report.add("ENTRY-EMAIL " + row.getString("author_email"));
                }
                if (row.getString("message").contains("\"")) {
                    report.add("MESSAGE " + row.getString("author") + " " + row.getString("message"));
                }
            }
            List<Row> customers = session.execute("SELECT * FROM crm.customers").all();
            report.add("ROWS customers " + customers.size());
            for (Row row : customers) {
                values.add(row.getString("email"));
                values.add(row.getString("name"));
                values.add(row.getString("phone"));
                if (row.getInt("customer_id") == PiiGuestbook.SHARED_CUSTOMER) {
                    report.add("CUSTOMER-EMAIL " + row.getString("email"));
                }
            }
            for (String original : originals) {
                if (values.stream().anyMatch(v -> v != null && v.contains(original))) {
                    report.add("CQL-HIT " + original);
                }
            }
        }
        NeedleScan scan = new NeedleScan(originals);
        try (Stream<Path> files = Files.walk(copy)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                for (String original : scan.foundIn(Files.readAllBytes(file))) {
                    report.add("FILE-HIT " + original + " " + copy.relativize(file));
                }
            }
        }
        Files.write(Path.of(args[2]), report, StandardCharsets.UTF_8);
    }

    /**
     * The copy: {@code root} itself, or the directory under it (a storage peer's volumes) that is marked as this
     * run's copy — a cluster's tests task cannot know which volume directory its clone is.
     */
    private static Path copyOf(Path root, String runId) throws java.io.IOException {
        String marker = io.snapci.executor.cassandra.CassandraDirectories.CLONE_MARKER;
        if (Files.isRegularFile(root.resolve(marker))) {
            return root;
        }
        try (Stream<Path> found = Files.find(root, 4, (p, a) -> p.getFileName().toString().equals(marker))) {
            for (Path file : found.toList()) {
                if (Files.readString(file).contains("\"runId\":\"" + runId + "\"")) {
                    return file.getParent();
                }
            }
        }
        throw new IllegalStateException("no copy of run " + runId + " under " + root);
    }

    /**
     * What a masked guestbook's report must say: no original in CQL or any file, every row there but the deleted
     * test account, the shared e-mail masked alike in both tables, Zoë's quote masked with its ë and quotes kept.
     */
    public static void assertMasked(List<String> lines) {
        org.assertj.core.api.Assertions.assertThat(lines).as("what the copy answered and held").isNotEmpty()
                .noneMatch(l -> l.startsWith("CQL-HIT") || l.startsWith("FILE-HIT"));
        org.assertj.core.api.Assertions.assertThat(lines).contains("ROWS entries 201", "ROWS customers 100");
        org.assertj.core.api.Assertions.assertThat(PiiGuestbook.reported(lines, "ENTRY-EMAIL "))
                .matches("user-[0-9a-f]{10}@example\\.com")
                .isEqualTo(PiiGuestbook.reported(lines, "CUSTOMER-EMAIL "));
        org.assertj.core.api.Assertions.assertThat(PiiGuestbook.reported(lines, "MESSAGE "))
                .as("Zoë's entry, masked").contains("ë").contains("\"").doesNotContain("open mic");
    }
}
