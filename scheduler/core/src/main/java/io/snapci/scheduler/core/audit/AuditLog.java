package io.snapci.scheduler.core.audit;

import java.time.Instant;
import java.util.List;

/**
 * The append-only record of who ran, cancelled or deleted what (issue 15): kept with the other state (a file under
 * the work root locally, sequential znodes in ZooKeeper in a cluster). Entries are never changed; the only removal
 * is retention's {@link #pruneBefore}, of whole entries older than the configured age.
 *
 * <p>Every implementation passes the contract in the test kit ({@code AuditLogContract}).
 */
public interface AuditLog {

    /** Adds the entry after every entry appended before it; once this returns, the entry is stored. */
    void append(AuditEntry entry);

    /**
     * The entries {@code query} matches, in the order they were appended; when more match than its limit, the
     * most recent ones.
     */
    List<AuditEntry> query(AuditQuery query);

    /** Removes the entries dated before {@code cutoff}; returns how many. */
    int pruneBefore(Instant cutoff);
}
