package io.snapci.server.audit;

import io.snapci.scheduler.core.audit.AuditAction;
import io.snapci.scheduler.core.audit.AuditEntry;
import io.snapci.scheduler.core.audit.AuditQuery;
import io.snapci.scheduler.core.testkit.InMemoryAuditLog;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class AuditRetentionTest {

    private static final Instant NOW = Instant.parse("2026-12-01T00:00:00Z");

    private static AuditEntry at(Instant when) {
        return new AuditEntry(when, "token#1", AuditAction.RUN_SUBMITTED, "r1", List.of("/data"), null, null, null,
                "ACCEPTED", null);
    }

    @Test
    void aPassDeletesWhatIsOlderThanTheRetentionAndKeepsTheRest() {
        InMemoryAuditLog log = new InMemoryAuditLog();
        AuditEntry old = at(NOW.minus(Duration.ofDays(91)));
        AuditEntry kept = at(NOW.minus(Duration.ofDays(89)));
        log.append(old);
        log.append(kept);
        List<String> said = new ArrayList<>();
        AuditRetention retention = new AuditRetention(log, Duration.ofDays(90), Clock.fixed(NOW, ZoneOffset.UTC),
                said::add);
        assertThat(retention.prune()).isEqualTo(1);
        assertThat(log.query(AuditQuery.all(10))).containsExactly(kept);
        assertThat(said).singleElement().asString().contains("deleted 1");
    }

    @Test
    void theStartedTaskPrunesOnItsOwnThread() throws Exception {
        InMemoryAuditLog log = new InMemoryAuditLog();
        log.append(at(NOW.minus(Duration.ofDays(100))));
        try (AuditRetention retention = new AuditRetention(log, Duration.ofDays(90),
                Clock.fixed(NOW, ZoneOffset.UTC), line -> { })) {
            retention.start(Duration.ofMillis(50));
            Instant deadline = Instant.now().plusSeconds(10);
            while (!log.query(AuditQuery.all(10)).isEmpty() && Instant.now().isBefore(deadline)) {
                Thread.sleep(20);
            }
        }
        assertThat(log.query(AuditQuery.all(10))).isEmpty();
    }
}
