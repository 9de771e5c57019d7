package io.snapci.server.mesos;

import io.snapci.scheduler.core.audit.AuditAction;
import io.snapci.scheduler.core.audit.AuditEntry;
import io.snapci.scheduler.core.audit.AuditQuery;
import io.snapci.scheduler.core.testkit.InMemoryAuditLog;
import io.snapci.scheduler.portworx.GcReport;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Every clone and snapshot the garbage collector deletes is in the audit log, by snapci:gc, with its run. */
class CollectedVolumesAuditTest {

    private final Clock clock = Clock.fixed(Instant.parse("2026-12-07T08:00:00Z"), ZoneOffset.UTC);

    @Test
    void eachCollectedVolumeIsAnEntryNamingTheGcTheRunAndWhy() {
        InMemoryAuditLog log = new InMemoryAuditLog();
        new CollectedVolumesAudit(log, clock, Duration.ofMinutes(30), lost -> { throw new AssertionError(lost); })
                .accept(new GcReport(3, List.of(new GcReport.Collected("snapci-r1", "r1", false),
                        new GcReport.Collected("snapci-r1-snap", "r1", true)), 1, List.of()));

        List<AuditEntry> entries = log.query(AuditQuery.all(10));
        assertThat(entries).hasSize(2).allSatisfy(e -> {
            assertThat(e.who()).isEqualTo("snapci:gc");
            assertThat(e.action()).isEqualTo(AuditAction.SNAPSHOT_DELETED);
            assertThat(e.runId()).isEqualTo("r1");
            assertThat(e.at()).isEqualTo(clock.instant());
            assertThat(e.outcome()).isEqualTo("DONE");
        });
        assertThat(entries).extracting(AuditEntry::snapshot).containsExactlyInAnyOrder("snapci-r1", "snapci-r1-snap");
        assertThat(entries).extracting(AuditEntry::detail).anySatisfy(d -> assertThat(d)
                .isEqualTo("garbage collection: the clone run r1 left behind (the run ended or is unknown; older "
                        + "than PT30M)")).anySatisfy(d -> assertThat(d).startsWith("garbage collection: the snapshot"));
    }

    @Test
    void anEntryTheLogCannotStoreIsReportedAndTheRestStillWritten() {
        InMemoryAuditLog stored = new InMemoryAuditLog();
        List<String> lost = new ArrayList<>();
        io.snapci.scheduler.core.audit.AuditLog failingOnce = new io.snapci.scheduler.core.audit.AuditLog() {
            private boolean failed;

            @Override
            public void append(AuditEntry entry) {
                if (!failed) {
                    failed = true;
                    throw new IllegalStateException("ZooKeeper connection loss");
                }
                stored.append(entry);
            }

            @Override
            public List<AuditEntry> query(AuditQuery query) {
                return stored.query(query);
            }

            @Override
            public int pruneBefore(Instant cutoff) {
                return stored.pruneBefore(cutoff);
            }
        };
        new CollectedVolumesAudit(failingOnce, clock, Duration.ofMinutes(30), lost::add).accept(new GcReport(2,
                List.of(new GcReport.Collected("snapci-r1", "r1", false),
                        new GcReport.Collected("snapci-r2", "r2", false)), 0, List.of()));

        assertThat(lost).singleElement().asString().contains("snapci-r1", "ZooKeeper connection loss");
        assertThat(stored.query(AuditQuery.all(10))).extracting(AuditEntry::snapshot).containsExactly("snapci-r2");
    }
}
