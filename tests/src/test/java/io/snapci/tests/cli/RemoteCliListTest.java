package io.snapci.tests.cli;

import io.snapci.tests.support.LocalServe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.snapci.model.Phase;
import io.snapci.model.RunStatus;
import io.snapci.tests.support.CliProcess;
import io.snapci.tests.support.StoredRuns;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code snapci list} against a real serve holding more runs than one API page (1,000): the command follows the
 * pages' cursors up to its {@code --limit}, newest first, filters included. The runs are written into the service's
 * work root before it starts; no Cassandra is booted.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RemoteCliListTest {

    private static final Duration QUICK = Duration.ofSeconds(60);
    private static final Pattern ROW = Pattern.compile("(?m)^(r\\d{8}-\\d{6}-[0-9a-f]{4}) +(\\w+) ");
    private static final int RUNS = 1234;

    @TempDir
    static Path dir;

    private LocalServe service;
    private final List<RunStatus> newestFirst = new ArrayList<>();

    @BeforeAll
    void aServiceWithMonthsOfRuns() throws Exception {
        StoredRuns stored = new StoredRuns(dir.resolve("work"));
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        for (int n = 0; n < RUNS; n++) {
            Instant at = now.minus(Duration.ofMinutes(2L * (RUNS - n)));
            RunStatus run = StoredRuns.ended(StoredRuns.id(at, n), at, n % 3 == 0 ? Phase.FAILED : Phase.PASSED,
                    Map.of("team", "shop"));
            stored.store().save(run);
            newestFirst.add(run);
        }
        newestFirst.sort(Comparator.comparing(RunStatus::id).reversed());
        service = LocalServe.start(dir, Map.of());
    }

    @AfterAll
    void stop() {
        if (service != null) {
            service.close();
        }
    }

    private CliProcess cli(String... args) throws Exception {
        Map<String, String> env = new HashMap<>(Map.of("SNAPCI_URL", service.baseUri().toString(),
                "SNAPCI_TOKEN", LocalServe.TOKEN));
        return CliProcess.start(dir, CliProcess.scrubbedEnv(env), args);
    }

    private static List<String> ids(List<RunStatus> runs) {
        return runs.stream().map(RunStatus::id).toList();
    }

    @Test
    void aLimitBeyondOnePageIsFetchedPageByPageNewestFirst() throws Exception {
        CliProcess list = cli("list", "--limit", "1100", "--json");
        assertThat(list.awaitExit(QUICK)).as(list.output()).isZero();
        JsonNode answer = new ObjectMapper().readTree(list.output());
        List<String> listed = new ArrayList<>();
        answer.get("runs").forEach(run -> listed.add(run.get("id").asText()));

        assertThat(answer.get("count").asInt()).isEqualTo(1100);
        assertThat(listed).containsExactlyElementsOf(ids(newestFirst).subList(0, 1100));
        assertThat(answer.has("next")).as("more runs than the limit").isTrue();
    }

    @Test
    void everyRunIsListedWhenTheLimitIsHigherThanTheirNumber() throws Exception {
        CliProcess list = cli("list", "--limit", "5000");
        assertThat(list.awaitExit(QUICK)).as(list.output()).isZero();
        assertThat(rows(list.output())).containsExactlyElementsOf(ids(newestFirst));
    }

    @Test
    void filtersHoldAcrossPages() throws Exception {
        CliProcess list = cli("list", "--state", "failed", "--label", "team=shop", "--limit", "2000");
        assertThat(list.awaitExit(QUICK)).as(list.output()).isZero();
        List<String> failed = ids(newestFirst.stream().filter(r -> r.phase() == Phase.FAILED).toList());
        assertThat(failed).hasSizeGreaterThan(400);
        assertThat(rows(list.output())).containsExactlyElementsOf(failed);
        assertThat(list.output()).doesNotContain("PASSED");
    }

    @Test
    void aLimitBelowOneIsAUsageError() throws Exception {
        CliProcess list = cli("list", "--limit", "0");
        assertThat(list.awaitExit(QUICK)).isEqualTo(2);
        assertThat(list.output()).contains("--limit must be at least 1");
    }

    private static List<String> rows(String output) {
        List<String> ids = new ArrayList<>();
        Matcher m = ROW.matcher(output);
        while (m.find()) {
            ids.add(m.group(1));
        }
        return ids;
    }
}
