package io.snapci.server.mesos;

import io.snapci.scheduler.core.audit.AuditAction;
import io.snapci.scheduler.core.audit.AuditEntry;
import io.snapci.scheduler.core.audit.AuditLog;
import io.snapci.scheduler.portworx.GcReport;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * The audit log's entries for what the Portworx garbage collector deletes: a run's clone or snapshot left behind
 * (a crash, a lost answer), each by {@link #WHO}, with the run it belonged to. Nobody asked for these deletions in
 * a request; they are snapshot operations all the same, so the log holds them.
 */
final class CollectedVolumesAudit implements Consumer<GcReport> {

    /** Who the audit log names for the garbage collector's deletions. */
    static final String WHO = "snapci:gc";

    private final AuditLog log;
    private final Clock clock;
    private final Duration grace;
    private final Consumer<String> lost;

    /** @param lost told when an entry could not be stored (the deletion itself stands) */
    CollectedVolumesAudit(AuditLog log, Clock clock, Duration grace, Consumer<String> lost) {
        this.log = log;
        this.clock = clock;
        this.grace = grace;
        this.lost = lost;
    }

    @Override
    public void accept(GcReport pass) {
        for (GcReport.Collected volume : pass.collected()) {
            String what = volume.snapshot() ? "snapshot" : "clone";
            try {
                log.append(new AuditEntry(clock.instant(), WHO, AuditAction.SNAPSHOT_DELETED, volume.runId(),
                        List.of(), volume.name(), null, null, "DONE", "garbage collection: the " + what + " run "
                        + volume.runId() + " left behind (the run ended or is unknown; older than " + grace + ")"));
            } catch (RuntimeException e) {
                lost.accept("audit entry lost (GC deleted " + volume.name() + "): " + e.getMessage());
            }
        }
    }
}
