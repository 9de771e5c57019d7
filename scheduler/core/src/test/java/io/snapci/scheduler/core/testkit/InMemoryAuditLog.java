package io.snapci.scheduler.core.testkit;

import io.snapci.scheduler.core.audit.AuditEntry;
import io.snapci.scheduler.core.audit.AuditLog;
import io.snapci.scheduler.core.audit.AuditQuery;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The audit log in a list, for tests of what records it. */
public final class InMemoryAuditLog implements AuditLog {

    private final List<AuditEntry> entries = new ArrayList<>();

    @Override
    public synchronized void append(AuditEntry entry) {
        entries.add(entry);
    }

    @Override
    public synchronized List<AuditEntry> query(AuditQuery query) {
        List<AuditEntry> matching = entries.stream().filter(query::matches).toList();
        return List.copyOf(matching.subList(Math.max(0, matching.size() - query.limit()), matching.size()));
    }

    @Override
    public synchronized int pruneBefore(Instant cutoff) {
        int before = entries.size();
        entries.removeIf(entry -> entry.at().isBefore(cutoff));
        return before - entries.size();
    }
}
