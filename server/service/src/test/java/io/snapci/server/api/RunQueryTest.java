package io.snapci.server.api;

import io.snapci.model.Phase;
import io.snapci.model.RunSpec;
import io.snapci.model.RunStatus;
import io.snapci.model.Source;
import io.snapci.server.ApiProblem;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The parameters of GET /v1/runs: filters, the page's limit, and the cursor a client hands back. */
class RunQueryTest {

    private static RunStatus run(String id, Phase phase, Map<String, String> labels) {
        RunStatus queued = RunStatus.queued(id, new RunSpec(Source.dataDir("/var/lib/cassandra"), "true", null, null,
                null, null, null, null, labels), Instant.parse("2026-11-25T06:00:00Z"));
        return phase == Phase.QUEUED ? queued : queued.withPhase(phase, null, queued.createdAt());
    }

    @Test
    void aCursorNamesTheRunThePageEndedWithAndIsOpaque() {
        String cursor = RunCursor.after("r20261125-061253-4f2a");
        assertThat(cursor).doesNotContain("r20261125").matches("[A-Za-z0-9_-]+");
        RunQuery query = RunQuery.from(Map.of("after", List.of(cursor), "limit", List.of("5")));
        assertThat(query.afterRunId()).isEqualTo("r20261125-061253-4f2a");
        assertThat(query.limit()).isEqualTo(5);
        assertThat(RunQuery.from(Map.of()).afterRunId()).isNull();
        assertThat(RunQuery.from(Map.of()).limit()).isEqualTo(RunQuery.DEFAULT_LIMIT);
    }

    @Test
    void aCursorThisApiDidNotGiveOutIsA400NamingAfter() {
        String forged = java.util.Base64.getUrlEncoder().encodeToString("1:../../etc".getBytes());
        for (String bad : List.of("r20261125-061253-4f2a", "%%%", "", forged)) {
            assertThatThrownBy(() -> RunQuery.from(Map.of("after", List.of(bad))))
                    .isInstanceOfSatisfying(ApiProblem.class, e -> {
                        assertThat(e.body().status()).isEqualTo(400);
                        assertThat(e.body().field()).isEqualTo("after");
                    })
                    .hasMessageContaining("'next' of the previous page");
        }
        String cursor = RunCursor.after("r1");
        assertThatThrownBy(() -> RunQuery.from(Map.of("after", List.of(cursor, cursor))))
                .hasMessageContaining("give one cursor");
    }

    @Test
    void theFiltersMatchWhatTheyName() {
        RunQuery failedOnMain = RunQuery.from(Map.of("state", List.of("failed,error"), "label", List.of("branch=main"),
                "source", List.of("/var/lib/cassandra")));
        assertThat(failedOnMain.matches(run("r1", Phase.ERROR, Map.of("branch", "main")))).isTrue();
        assertThat(failedOnMain.matches(run("r2", Phase.QUEUED, Map.of("branch", "main")))).isFalse();
        assertThat(failedOnMain.matches(run("r3", Phase.ERROR, Map.of("branch", "dev")))).isFalse();
        assertThat(RunQuery.from(Map.of("label", List.of("branch"))).matches(run("r4", Phase.QUEUED,
                Map.of("branch", "x")))).isTrue();
    }

    @Test
    void anUnknownParameterOrALimitOutOfRangeIsA400() {
        assertThatThrownBy(() -> RunQuery.from(Map.of("cursor", List.of("x"))))
                .isInstanceOfSatisfying(ApiProblem.class, e -> assertThat(e.body().field()).isEqualTo("cursor"))
                .hasMessageContaining("limit and after");
        for (String limit : List.of("0", "1001", "ten")) {
            assertThatThrownBy(() -> RunQuery.from(Map.of("limit", List.of(limit))))
                    .isInstanceOfSatisfying(ApiProblem.class, e -> assertThat(e.body().field()).isEqualTo("limit"));
        }
    }
}
