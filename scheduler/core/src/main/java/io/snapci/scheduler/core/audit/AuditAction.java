package io.snapci.scheduler.core.audit;

/** The operations the audit log records: every run and snapshot operation the service performs for someone. */
public enum AuditAction {
    RUN_SUBMITTED,
    /** A run reached its terminal phase; the entry's outcome is that phase, its caller the run's submitter. */
    RUN_FINISHED,
    RUN_CANCELLED,
    /** A run spec the service read and refused (a masking requirement, a rule of the mode): nothing was made. */
    RUN_REFUSED,
    /** An ended run's record deleted (by retention: the entry's caller is {@code snapci:retention}). */
    RUN_DELETED,
    SNAPSHOT_CREATED,
    SNAPSHOT_DELETED,
    SCHEDULE_CREATED,
    SCHEDULE_DELETED
}
