package io.snapci.scheduler.core.testkit;

import io.snapci.scheduler.core.audit.AuditAction;
import io.snapci.scheduler.core.audit.AuditEntry;
import io.snapci.scheduler.core.audit.AuditLog;
import io.snapci.scheduler.core.audit.AuditQuery;
import io.snapci.scheduler.core.audit.MaskingSummary;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** What every AuditLog does; each implementation's test extends this. */
public abstract class AuditLogContract {

    protected static final Instant MORNING = Instant.parse("2026-11-25T06:00:00Z");

    protected abstract AuditLog log();

    protected static AuditEntry entry(int minute, String who, AuditAction action, String source) {
        return new AuditEntry(MORNING.plusSeconds(60L * minute), who, action, "r" + minute, List.of(source),
                null, null, null, null, null);
    }

    @Test
    void readsBackEveryFieldOfWhatWasAppended() {
        AuditLog log = log();
        AuditEntry full = new AuditEntry(MORNING, "ci-orders", AuditAction.RUN_FINISHED, "r1",
                List.of("cassandra-prod-1", "cassandra-prod-2"), "snap-7", MORNING.minusSeconds(3600),
                new MaskingSummary("pii", 3, "ab12"), "PASSED", "tests passed");
        log.append(full);
        assertThat(log.query(AuditQuery.all(10))).containsExactly(full);
    }

    @Test
    void keepsTheOrderOfAppendsEvenWhenClocksDisagree() {
        AuditLog log = log();
        AuditEntry later = entry(5, "a", AuditAction.RUN_SUBMITTED, "s");
        AuditEntry earlier = entry(1, "b", AuditAction.RUN_CANCELLED, "s");
        log.append(later);
        log.append(earlier);
        assertThat(log.query(AuditQuery.all(10))).containsExactly(later, earlier);
    }

    @Test
    void filtersBySourceWhoAndSince() {
        AuditLog log = log();
        AuditEntry a = entry(0, "alice", AuditAction.RUN_SUBMITTED, "orders");
        AuditEntry b = entry(1, "bob", AuditAction.RUN_SUBMITTED, "orders");
        AuditEntry c = entry(2, "alice", AuditAction.RUN_SUBMITTED, "users");
        AuditEntry d = entry(3, "bob", AuditAction.RUN_CANCELLED, "users");
        List.of(a, b, c, d).forEach(log::append);

        assertThat(log.query(new AuditQuery("orders", null, null, 10))).containsExactly(a, b);
        assertThat(log.query(new AuditQuery(null, null, "alice", 10))).containsExactly(a, c);
        assertThat(log.query(new AuditQuery(null, MORNING.plusSeconds(120), null, 10))).containsExactly(c, d);
        assertThat(log.query(new AuditQuery("users", MORNING.plusSeconds(60), "bob", 10))).containsExactly(d);
        assertThat(log.query(new AuditQuery("nowhere", null, null, 10))).isEmpty();
    }

    @Test
    void aLimitKeepsTheMostRecentMatches() {
        AuditLog log = log();
        List<AuditEntry> entries = IntStream.range(0, 6)
                .mapToObj(i -> entry(i, "ci", AuditAction.RUN_SUBMITTED, "orders")).toList();
        entries.forEach(log::append);
        assertThat(log.query(AuditQuery.all(2))).containsExactly(entries.get(4), entries.get(5));
    }

    @Test
    void pruningRemovesOnlyWhatIsOlderThanTheCutoff() {
        AuditLog log = log();
        AuditEntry old = entry(0, "ci", AuditAction.RUN_SUBMITTED, "orders");
        AuditEntry atCutoff = entry(10, "ci", AuditAction.RUN_FINISHED, "orders");
        AuditEntry recent = entry(20, "ci", AuditAction.RUN_DELETED, "orders");
        List.of(old, atCutoff, recent).forEach(log::append);

        assertThat(log.pruneBefore(atCutoff.at())).isEqualTo(1);
        assertThat(log.query(AuditQuery.all(10))).containsExactly(atCutoff, recent);
        assertThat(log.pruneBefore(atCutoff.at())).isZero();
    }

    @Test
    void anEmptyLogAnswersNothing() {
        assertThat(log().query(AuditQuery.all(5))).isEmpty();
        assertThat(log().pruneBefore(MORNING)).isZero();
    }
}
