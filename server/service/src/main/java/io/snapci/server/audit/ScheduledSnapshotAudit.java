package io.snapci.server.audit;

import io.snapci.scheduler.core.audit.AuditAction;
import io.snapci.scheduler.core.audit.AuditEntry;
import io.snapci.scheduler.core.audit.AuditLog;
import io.snapci.scheduler.core.schedule.ScheduleAudit;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

/**
 * The audit log's entries for what snapshot schedules and base copy schedules do on their own: each snapshot (or cut,
 * or base copy) taken, and each one their retention deletes. No caller asked for these; the audit log names
 * {@link #WHO} (or {@link #BASE_COPIES}), and the schedule in the entry's detail.
 */
public final class ScheduledSnapshotAudit implements ScheduleAudit {

    /** Who the audit log names for a schedule's snapshots: serve's schedules, not a caller. */
    public static final String WHO = "snapci:schedule";
    /** Who the audit log names for the base copies (portworx.baseCopies) and their snapshots. */
    public static final String BASE_COPIES = "snapci:base-copies";

    private final AuditLog log;
    private final Clock clock;
    private final Consumer<String> lost;
    private final String who;
    private final String scheduleKind;

    /** @param lost told when an entry could not be stored (the snapshot operation itself stands) */
    public ScheduledSnapshotAudit(AuditLog log, Clock clock, Consumer<String> lost) {
        this(log, clock, lost, WHO, "schedule ");
    }

    private ScheduledSnapshotAudit(AuditLog log, Clock clock, Consumer<String> lost, String who,
                                   String scheduleKind) {
        this.log = log;
        this.clock = clock;
        this.lost = lost;
        this.who = who;
        this.scheduleKind = scheduleKind;
    }

    /** The entries of the base copies' refreshes and retention, by {@link #BASE_COPIES}. */
    public static ScheduledSnapshotAudit forBaseCopies(AuditLog log, Clock clock, Consumer<String> lost) {
        return new ScheduledSnapshotAudit(log, clock, lost, BASE_COPIES, "base copy schedule ");
    }

    @Override
    public void taken(String schedule, List<String> sources, String snapshot, Instant dataTakenAt) {
        append(AuditAction.SNAPSHOT_CREATED, sources, snapshot, dataTakenAt, scheduleKind + schedule);
    }

    @Override
    public void deleted(String schedule, List<String> sources, String snapshot, String why) {
        append(AuditAction.SNAPSHOT_DELETED, sources, snapshot, null, scheduleKind + schedule + ", " + why);
    }

    private void append(AuditAction action, List<String> sources, String snapshot, Instant dataTakenAt,
                        String detail) {
        try {
            log.append(new AuditEntry(clock.instant(), who, action, null, sources, snapshot, dataTakenAt, null,
                    "DONE", detail));
        } catch (RuntimeException e) {
            lost.accept("audit entry lost (" + action + " of " + snapshot + "): " + e.getMessage());
        }
    }
}
