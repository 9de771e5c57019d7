package io.snapci.scheduler.core.audit;

/** The operations the audit log records: every run and snapshot operation the service performs for someone. */
public enum AuditAction {
    RUN_SUBMITTED,
    /** A run reached its terminal phase; the entry's outcome is that phase, its caller the run's submitter. */
    RUN_FINISHED,
    RUN_CANCELLED,
    RUN_DELETED,
    SNAPSHOT_CREATED,
    SNAPSHOT_DELETED,
    SCHEDULE_CREATED,
    SCHEDULE_DELETED
}
