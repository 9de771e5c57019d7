package io.snapci.scheduler.zookeeper;

import io.snapci.scheduler.core.audit.AuditAction;
import io.snapci.scheduler.core.audit.AuditEntry;
import io.snapci.scheduler.core.audit.AuditLog;
import io.snapci.scheduler.core.audit.AuditQuery;
import io.snapci.scheduler.core.testkit.AuditLogContract;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class ZkAuditLogTest extends AuditLogContract {

    @RegisterExtension
    static final ZkTestServer zk = ZkTestServer.perClass();

    @Override
    protected AuditLog log() {
        return new ZkAuditLog(zk.connect());
    }

    @Test
    void twoProcessesAppendingInTurnReadOneLogInAppendOrderFromAThirdConnection() {
        ZkAuditLog first = (ZkAuditLog) log();
        ZkAuditLog second = new ZkAuditLog(zk.connect());
        List<AuditEntry> entries = IntStream.range(0, 12)
                .mapToObj(i -> entry(11 - i, "ci-" + i, AuditAction.RUN_SUBMITTED, "orders")).toList();
        for (int i = 0; i < entries.size(); i++) {
            (i % 2 == 0 ? first : second).append(entries.get(i));
        }
        assertThat(new ZkAuditLog(zk.connect()).query(AuditQuery.all(100))).containsExactlyElementsOf(entries);
    }

    @Test
    void eachEntryIsASequentialZnodeUnderTheServiceRoot() throws Exception {
        AuditLog log = log();
        log.append(entry(0, "ci", AuditAction.RUN_SUBMITTED, "orders"));
        log.append(entry(1, "ci", AuditAction.RUN_FINISHED, "orders"));
        assertThat(zk.connect().curator().getChildren().forPath(zk.url().root() + "/audit"))
                .containsExactlyInAnyOrder("e-0000000000", "e-0000000001");
    }

    @Test
    void anUnreadableEntryIsLeftOutAndTheRestStillRead() throws Exception {
        AuditLog log = log();
        AuditEntry kept = entry(0, "ci", AuditAction.RUN_SUBMITTED, "orders");
        log.append(kept);
        zk.connect().curator().create().forPath(zk.url().root() + "/audit/e-9999999999", "{not json".getBytes());
        assertThat(log.query(AuditQuery.all(10))).containsExactly(kept);
    }
}
