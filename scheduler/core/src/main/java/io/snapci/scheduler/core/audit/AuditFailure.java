package io.snapci.scheduler.core.audit;

/** The audit log could not be written or read; the store's cause says why. */
public final class AuditFailure extends RuntimeException {
    public AuditFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
