package io.snapci.tests.cli;

import io.snapci.scheduler.core.audit.AuditAction;
import io.snapci.scheduler.core.audit.AuditEntry;
import io.snapci.scheduler.local.state.FileAuditLog;
import io.snapci.tests.support.CliProcess;
import io.snapci.tests.support.LocalServe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code snapci audit} against a real serve whose audit log (under its work root) holds entries by two callers:
 * the filters reach the service, the table shows who did what, and a bad --since is the service's 400 message with
 * exit code 2.
 */
class RemoteCliAuditTest {

    private static final Duration QUICK = Duration.ofSeconds(60);
    private static final Instant T0 = Instant.parse("2026-11-25T06:00:00Z");

    @TempDir
    Path dir;

    @Test
    void filtersAndABadSince() throws Exception {
        FileAuditLog seeded = new FileAuditLog(dir.resolve("work/audit"));
        seeded.append(new AuditEntry(T0, "token#1", AuditAction.RUN_SUBMITTED, "r20261125-060000-0001",
                List.of("/data/orders"), null, null, null, "ACCEPTED", null));
        seeded.append(new AuditEntry(T0.plusSeconds(60), "uid:bob", AuditAction.RUN_CANCELLED,
                "r20261125-060000-0001", List.of("/data/orders"), null, null, null, "CANCELLING", null));
        seeded.append(new AuditEntry(T0.plusSeconds(120), "token#1", AuditAction.RUN_SUBMITTED,
                "r20261125-060200-0002", List.of("/data/users"), null, null, null, "ACCEPTED", null));
        try (LocalServe service = LocalServe.start(dir, Map.of())) {
            Map<String, String> env = new HashMap<>(Map.of("SNAPCI_URL", service.baseUri().toString(),
                    "SNAPCI_TOKEN", LocalServe.TOKEN));

            CliProcess byBob = CliProcess.start(dir, CliProcess.scrubbedEnv(env), "audit", "--who", "uid:bob");
            assertThat(byBob.awaitExit(QUICK)).as(byBob.output()).isZero();
            assertThat(byBob.output()).contains("uid:bob").contains("RUN_CANCELLED").doesNotContain("token#1");

            CliProcess recent = CliProcess.start(dir, CliProcess.scrubbedEnv(env), "audit", "--source",
                    "/data/users", "--since", T0.plusSeconds(30).toString());
            assertThat(recent.awaitExit(QUICK)).as(recent.output()).isZero();
            assertThat(recent.output()).contains("r20261125-060200-0002").doesNotContain("r20261125-060000-0001");

            CliProcess bad = CliProcess.start(dir, CliProcess.scrubbedEnv(env), "audit", "--since", "yesterday");
            assertThat(bad.awaitExit(QUICK)).as(bad.output()).isEqualTo(2);
            assertThat(bad.output()).contains("since").contains("ISO-8601");
        }
    }
}
