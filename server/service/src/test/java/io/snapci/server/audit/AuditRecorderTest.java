package io.snapci.server.audit;

import io.snapci.model.Phase;
import io.snapci.model.RunSpec;
import io.snapci.model.RunStatus;
import io.snapci.model.Source;
import io.snapci.model.mask.MaskRules;
import io.snapci.scheduler.core.audit.AuditAction;
import io.snapci.scheduler.core.audit.AuditEntry;
import io.snapci.scheduler.core.audit.AuditQuery;
import io.snapci.scheduler.core.testkit.InMemoryAuditLog;
import io.snapci.server.auth.Caller;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class AuditRecorderTest {

    private static final Instant T0 = Instant.parse("2026-11-25T06:00:00Z");

    @Test
    void aRunsEndCarriesItsSubmitterTheCopysDataTimeAndAMaskingSummaryWithoutValues() {
        InMemoryAuditLog log = new InMemoryAuditLog();
        Instant taken = T0.minusSeconds(7200);
        AuditRecorder recorder = new AuditRecorder(log, Clock.fixed(T0, ZoneOffset.UTC));
        MaskRules mask = MaskRules.parse("shop.users.email: email\nshop.users.note: redact(SECRET-ARG)\n");
        RunStatus queued = RunStatus.queued("r1", new RunSpec(Source.volume("orders"), "mvn test", null, null,
                Map.of(), null, null, null, Map.of(), mask), T0);
        recorder.submitted(new Caller("uid:alice", true), queued);
        RunStatus copied = queued.withPhase(Phase.SNAPSHOTTING, "copying", T0).withClone("c1", "snap-9")
                .withDataTakenAt(taken);
        recorder.onStatus(copied);
        // Another recorder (a scheduler that took the run over after a restart) sees only the stored record.
        new AuditRecorder(log, Clock.fixed(T0, ZoneOffset.UTC))
                .onStatus(copied.withPhase(Phase.ERROR, "boom", T0).withCleanedUp(true));

        List<AuditEntry> entries = log.query(AuditQuery.all(10));
        assertThat(entries).extracting(AuditEntry::action)
                .containsExactly(AuditAction.RUN_SUBMITTED, AuditAction.RUN_FINISHED);
        AuditEntry end = entries.get(1);
        assertThat(end.who()).isEqualTo("uid:alice");
        assertThat(end.outcome()).isEqualTo("ERROR");
        assertThat(end.snapshot()).isEqualTo("snap-9");
        assertThat(end.dataTakenAt()).isEqualTo(taken);
        assertThat(end.masking().ruleCount()).isEqualTo(2);
        assertThat(end.masking().digest()).hasSize(64);
        assertThat(entries.toString()).doesNotContain("SECRET-ARG").doesNotContain("shop.users");
    }

    @Test
    void afterARestartTheSubmitterIsReadBackFromTheLog() {
        InMemoryAuditLog log = new InMemoryAuditLog();
        Clock clock = Clock.fixed(T0, ZoneOffset.UTC);
        RunStatus queued = RunStatus.queued("r2", new RunSpec(Source.dataDir("/data"), "true", null, null, Map.of(),
                null, null, null, Map.of()), T0);
        new AuditRecorder(log, clock).submitted(new Caller("token#2", true), queued);
        new AuditRecorder(log, clock).onStatus(queued.withPhase(Phase.CANCELLED, "cancelled", T0));
        assertThat(log.query(AuditQuery.all(10)).get(1).who()).isEqualTo("token#2");
    }
}
