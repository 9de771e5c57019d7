package io.snapci.scheduler.core.schedule;

import java.time.Duration;

/**
 * Which scheduled snapshots to keep: the newest {@code keepLast}, and/or those younger than {@code maxAge}. A
 * snapshot goes when either limit says so; one that a live clone was made from stays until the clone is gone.
 */
public record Retention(Integer keepLast, Duration maxAge) {

    public Retention {
        if (keepLast == null && maxAge == null) {
            throw new IllegalArgumentException("retention needs keepLast, maxAge or both: without them snapshots"
                    + " pile up until Portworx's per-volume cap stops new ones");
        }
        if (keepLast != null && keepLast < 1) {
            throw new IllegalArgumentException("retention keepLast must be at least 1");
        }
        if (maxAge != null && (maxAge.isNegative() || maxAge.isZero())) {
            throw new IllegalArgumentException("retention maxAge must be positive");
        }
    }

    /** Why a snapshot went, for the audit log: its age, or its place beyond the newest {@code keepLast}. */
    public String reason(boolean tooOld) {
        return tooOld ? "retention: older than maxAge " + maxAge : "retention: beyond keepLast " + keepLast;
    }
}
