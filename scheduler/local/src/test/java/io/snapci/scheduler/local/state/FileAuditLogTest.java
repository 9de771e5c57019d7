package io.snapci.scheduler.local.state;

import io.snapci.scheduler.core.audit.AuditAction;
import io.snapci.scheduler.core.audit.AuditEntry;
import io.snapci.scheduler.core.audit.AuditLog;
import io.snapci.scheduler.core.audit.AuditQuery;
import io.snapci.scheduler.core.testkit.AuditLogContract;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import static org.assertj.core.api.Assertions.assertThat;

class FileAuditLogTest extends AuditLogContract {

    @TempDir
    Path dir;

    @Override
    protected AuditLog log() {
        return new FileAuditLog(dir);
    }

    @Test
    void aNewLogOnTheSameDirectoryReadsWhatTheFirstAppended() {
        AuditEntry first = entry(0, "ci", AuditAction.RUN_SUBMITTED, "orders");
        new FileAuditLog(dir).append(first);
        AuditEntry second = entry(1, "ops", AuditAction.RUN_CANCELLED, "orders");
        new FileAuditLog(dir).append(second);
        assertThat(new FileAuditLog(dir).query(AuditQuery.all(10))).containsExactly(first, second);
    }

    @Test
    void appendsOneVersionedLineEachAndNeverRewritesEarlierLines() throws Exception {
        AuditLog log = log();
        log.append(entry(0, "ci", AuditAction.RUN_SUBMITTED, "orders"));
        String before = Files.readString(dir.resolve(FileAuditLog.FILE_NAME));
        log.append(entry(1, "ci", AuditAction.RUN_FINISHED, "orders"));
        String after = Files.readString(dir.resolve(FileAuditLog.FILE_NAME));
        assertThat(after).startsWith(before);
        assertThat(after.lines()).hasSize(2).allMatch(line -> line.startsWith("{\"schemaVersion\":"));
    }

    @Test
    void aLineTornByACrashIsSkippedAndTheRestStillReads() throws Exception {
        AuditLog log = log();
        AuditEntry kept = entry(0, "ci", AuditAction.RUN_SUBMITTED, "orders");
        log.append(kept);
        Files.writeString(dir.resolve(FileAuditLog.FILE_NAME), "{\"schemaVersion\":\"1.0\",\"at\":\"20",
                StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        assertThat(log.query(AuditQuery.all(10))).containsExactly(kept);
        AuditEntry next = entry(1, "ci", AuditAction.RUN_FINISHED, "orders");
        log.append(next);
        assertThat(log.query(AuditQuery.all(10))).containsExactly(kept, next);
    }
}
