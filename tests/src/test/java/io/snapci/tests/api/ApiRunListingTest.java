package io.snapci.tests.api;

import io.snapci.tests.support.LocalServe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.snapci.model.Phase;
import io.snapci.model.RunStatus;
import io.snapci.scheduler.core.state.StoredRecords;
import io.snapci.tests.support.StoredRuns;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A serve with months of runs behind it (written into its work root before it starts, no Cassandra booted):
 * {@code GET /v1/runs} pages through them with cursors, filters included, reading records a newer snapci wrote;
 * retention deletes the ended runs past their age or count, records and run directories, and nothing else.
 */
class ApiRunListingTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);

    /** All pages of {@code query}, following each {@code next}; checks each page's size on the way. */
    private static List<JsonNode> walk(ApiClient api, String query, int limit) throws Exception {
        List<JsonNode> runs = new ArrayList<>();
        String after = null;
        do {
            ApiClient.Reply reply = api.get("v1/runs?" + query + (query.isEmpty() ? "" : "&") + "limit=" + limit
                    + (after == null ? "" : "&after=" + after));
            assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
            JsonNode page = reply.json();
            page.get("runs").forEach(runs::add);
            after = page.has("next") ? page.get("next").asText() : null;
            assertThat(page.get("count").asInt()).isEqualTo(page.get("runs").size());
            if (after != null) {
                assertThat(page.get("count").asInt()).as("only a full page says there is more").isEqualTo(limit);
            }
        } while (after != null);
        return runs;
    }

    private static List<String> ids(List<JsonNode> runs) {
        return runs.stream().map(r -> r.get("id").asText()).toList();
    }

    private static List<String> idsOf(List<RunStatus> runs) {
        return runs.stream().map(RunStatus::id).toList();
    }

    /** The ids listed once retention has brought the runs down to {@code count} (it checks right at start). */
    private static List<String> awaitCount(ApiClient api, int count) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (api.get("v1/runs?limit=1000").json().get("count").asInt() > count && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        Thread.sleep(1500);   // a check more, which must delete nothing further
        return ids(walk(api, "", 1000));
    }

    @Test
    void pagesWalkEveryRunNewestFirstWithTheFiltersAndReadRecordsOfANewerVersion() throws Exception {
        StoredRuns stored = new StoredRuns(dir.resolve("work"));
        List<RunStatus> runs = new ArrayList<>();
        for (int n = 0; n < 250; n++) {
            Instant at = now.minus(Duration.ofMinutes(300 - n));
            RunStatus run = StoredRuns.ended(StoredRuns.id(at, n), at, n % 2 == 0 ? Phase.FAILED : Phase.PASSED,
                    Map.of("branch", n % 5 == 0 ? "main" : "dev"));
            stored.save(run);
            runs.add(run);
        }
        // Written by a newer minor version (one more field) and by a newer major one (a layout this one cannot read).
        Instant at = now.minus(Duration.ofMinutes(30));
        RunStatus newer = StoredRuns.ended(StoredRuns.id(at, 0xaaaa), at, Phase.FAILED, Map.of("branch", "main"));
        ObjectNode minor = (ObjectNode) JSON.readTree(StoredRecords.write(newer));
        minor.put(StoredRecords.VERSION_FIELD, StoredRecords.CURRENT.major() + "." + (StoredRecords.CURRENT.minor() + 1));
        minor.put("fieldFromTheFuture", "kept by the newer version only");
        Files.write(stored.recordFile(newer.id()), JSON.writeValueAsBytes(minor));
        runs.add(newer);
        String majorId = StoredRuns.id(now.minus(Duration.ofMinutes(20)), 0xbbbb);
        Files.writeString(stored.recordFile(majorId), "{\"schemaVersion\":\"" + (StoredRecords.CURRENT.major() + 1)
                + ".0\",\"id\":\"" + majorId + "\",\"state\":{\"phase\":\"QUEUED\"}}");

        try (LocalServe server = LocalServe.start(dir, Map.of())) {
            ApiClient api = ApiClient.of(server);
            List<String> newestFirst = runs.stream().map(RunStatus::id).sorted(Comparator.reverseOrder()).toList();

            assertThat(ids(walk(api, "", 100))).containsExactlyElementsOf(newestFirst);
            assertThat(ids(walk(api, "", 1000))).containsExactlyElementsOf(newestFirst);

            List<String> failedOnMain = runs.stream().filter(r -> r.phase() == Phase.FAILED
                    && "main".equals(r.spec().labels().get("branch"))).map(RunStatus::id)
                    .sorted(Comparator.reverseOrder()).toList();
            assertThat(failedOnMain).hasSizeGreaterThan(20);
            assertThat(ids(walk(api, "state=failed&label=branch=main", 7))).containsExactlyElementsOf(failedOnMain);

            ApiClient.Reply one = api.get("v1/runs/" + newer.id());
            assertThat(one.status()).isEqualTo(200);
            assertThat(one.json().get("phase").asText()).isEqualTo("FAILED");
            assertThat(one.json().has("fieldFromTheFuture")).isFalse();
            ApiClient.Reply unreadable = api.get("v1/runs/" + majorId);
            assertThat(unreadable.status()).isEqualTo(500);
            assertThat(unreadable.json().get("error").asText()).isEqualTo("newer_record");
            assertThat(unreadable.json().get("message").asText()).contains("newer snapci", "upgrade snapci");
        }
        assertThat(Files.readString(stored.recordFile(majorId))).as("left as the newer version wrote it")
                .contains("\"state\":{\"phase\":\"QUEUED\"}");
    }

    @Test
    void retentionDeletesEndedRunsPastTheirAgeOrCountWithTheirDirectoriesAndNothingElse() throws Exception {
        StoredRuns stored = new StoredRuns(dir.resolve("work"));
        Path precious = Files.writeString(Files.createDirectories(dir.resolve("elsewhere")).resolve("precious.db"),
                "not snapci's");
        List<RunStatus> recentNewestFirst = new ArrayList<>();
        for (int n = 0; n < 120; n++) {
            Instant at = now.minus(Duration.ofMinutes(200 - n));
            RunStatus run = StoredRuns.ended(StoredRuns.id(at, n), at, Phase.PASSED, Map.of());
            stored.save(run);
            recentNewestFirst.add(0, run);
        }
        List<RunStatus> monthsOld = new ArrayList<>();
        for (int n = 0; n < 10; n++) {
            Instant at = now.minus(Duration.ofDays(40)).plus(Duration.ofMinutes(n));
            RunStatus run = StoredRuns.ended(StoredRuns.id(at, n), at, Phase.ERROR, Map.of());
            Path runDir = stored.save(run);
            Files.createSymbolicLink(runDir.resolve("data-link"), precious);
            Files.createSymbolicLink(runDir.resolve("dir-link"), precious.getParent());
            monthsOld.add(run);
        }

        // Room for 125: the 120 recent runs and the 5 newest of the old ones by count, but those 5 are past 30 days.
        try (LocalServe server = LocalServe.start(dir, Map.of("runs.retention.maxCount", "125",
                "runs.retention.interval", "1s"))) {
            assertThat(awaitCount(ApiClient.of(server), 120)).containsExactlyElementsOf(idsOf(recentNewestFirst));
        }
        for (RunStatus run : monthsOld) {
            assertThat(stored.runDir(run.id())).doesNotExist();
        }
        // The same work root served again, with room for 100.
        try (LocalServe server = LocalServe.start(dir, Map.of("runs.retention.maxCount", "100",
                "runs.retention.interval", "1s"))) {
            assertThat(awaitCount(ApiClient.of(server), 100)).containsExactlyElementsOf(idsOf(recentNewestFirst)
                    .subList(0, 100));
        }

        List<RunStatus> deleted = new ArrayList<>(recentNewestFirst.subList(100, 120));
        deleted.addAll(monthsOld);
        for (RunStatus run : deleted) {
            assertThat(stored.recordFile(run.id())).doesNotExist();
            assertThat(stored.runDir(run.id())).doesNotExist();
        }
        for (RunStatus run : recentNewestFirst.subList(0, 100)) {
            assertThat(stored.runDir(run.id()).resolve("tests.stdout.log")).exists();
        }
        assertThat(precious).hasContent("not snapci's");
    }
}
