package io.snapci.scheduler.core.audit;

import io.snapci.scheduler.core.testkit.AuditLogContract;
import io.snapci.scheduler.core.testkit.InMemoryAuditLog;

class InMemoryAuditLogTest extends AuditLogContract {

    @Override
    protected AuditLog log() {
        return new InMemoryAuditLog();
    }
}
