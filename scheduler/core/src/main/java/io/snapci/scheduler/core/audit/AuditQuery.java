package io.snapci.scheduler.core.audit;

import java.time.Instant;

/**
 * Which entries to read: each filter left null matches every entry.
 *
 * @param source entries that concern this volume or data directory
 * @param since  entries at or after this instant
 * @param who    entries by this identity
 * @param limit  at most this many, the most recent ones (at least 1)
 */
public record AuditQuery(String source, Instant since, String who, int limit) {

    public static final int MAX_LIMIT = 1000;

    public AuditQuery {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT + ", not " + limit);
        }
    }

    public static AuditQuery all(int limit) {
        return new AuditQuery(null, null, null, limit);
    }

    public boolean matches(AuditEntry entry) {
        return (source == null || entry.concerns(source))
                && (since == null || !entry.at().isBefore(since))
                && (who == null || who.equals(entry.who()));
    }
}
