package io.snapci.server.audit;

import io.snapci.model.Json;
import io.snapci.model.RunSpec;
import io.snapci.model.RunStatus;
import io.snapci.model.Source;
import io.snapci.model.mask.MaskRules;
import io.snapci.scheduler.core.audit.AuditAction;
import io.snapci.scheduler.core.audit.AuditEntry;
import io.snapci.scheduler.core.audit.AuditLog;
import io.snapci.scheduler.core.audit.AuditQuery;
import io.snapci.scheduler.core.audit.MaskingSummary;
import io.snapci.scheduler.core.run.RunObserver;
import io.snapci.server.auth.Caller;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns what the REST layer and the run engine do into audit entries. The REST layer knows who asked
 * ({@link Caller#name()}: a token's position, "token#2", or an ACS "uid:alice" — never the credential); the engine
 * knows how a run ended, which is recorded under the name of whoever submitted it (remembered at submit, or read
 * back from the log after a restart).
 */
public final class AuditRecorder implements RunObserver {

    private static final System.Logger LOG = System.getLogger(AuditRecorder.class.getName());

    private final AuditLog log;
    private final Clock clock;
    private final Map<String, String> submitters = new ConcurrentHashMap<>();

    public AuditRecorder(AuditLog log, Clock clock) {
        this.log = log;
        this.clock = clock;
    }

    public AuditLog log() {
        return log;
    }

    public void submitted(Caller caller, RunStatus run) {
        submitters.put(run.id(), caller.name());
        append(caller.name(), AuditAction.RUN_SUBMITTED, run, "ACCEPTED", null);
    }

    /** Who the audit log names for what retention deletes: no caller asked for it, serve's configuration did. */
    public static final String RETENTION = "snapci:retention";

    /** An ended run's record and files, deleted by runs.retention.* (its copy was gone when it ended). */
    public void deletedByRetention(RunStatus run, io.snapci.server.config.RetentionConfig retention) {
        append(RETENTION, AuditAction.RUN_DELETED, run, "DELETED", "past runs.retention.maxAge="
                + retention.maxAge() + " or runs.retention.maxCount=" + retention.maxCount());
    }

    /**
     * A run the service refused after reading its spec (a policy or a rule of this mode). The detail names the
     * field and, for a masking requirement, the rule set; never the message, which may quote a rule's argument.
     */
    public void refused(Caller caller, RunSpec spec, String field, String requiredRuleSet) {
        try {
            log.append(new AuditEntry(clock.instant(), caller.name(), AuditAction.RUN_REFUSED, null,
                    sources(spec.source()), null, null, masking(spec), "REFUSED",
                    "400 on " + field + (requiredRuleSet == null ? "" : "; the source requires the rule set '"
                            + requiredRuleSet + "'")));
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "audit entry lost (refused run by " + caller.name() + "): "
                    + e.getMessage());
        }
    }

    public void cancelled(Caller caller, RunStatus run) {
        append(caller.name(), AuditAction.RUN_CANCELLED, run, "CANCELLING", "was " + run.phase());
    }

    /**
     * A snapshot or schedule operation (no run): {@code sources} the volume(s), {@code snapshot} the snapshot's id
     * or the schedule's name.
     */
    public void operation(Caller caller, AuditAction action, List<String> sources, String snapshot, String detail) {
        try {
            log.append(new AuditEntry(clock.instant(), caller.name(), action, null, sources, snapshot, null, null,
                    "DONE", detail));
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "audit entry lost (" + action + " of " + snapshot + " by "
                    + caller.name() + "): " + e.getMessage());
        }
    }

    /**
     * A terminal phase, once per run: the engine saves it once its copy is gone. The copy's data time comes from the
     * run's record, so a run taken over by another scheduler after a restart still has it.
     */
    @Override
    public void onStatus(RunStatus status) {
        if (!status.phase().isTerminal()) {
            return;
        }
        String who = submitters.remove(status.id());
        if (who == null) {
            who = submitterFromLog(status.id());
        }
        append(who, AuditAction.RUN_FINISHED, status, status.phase().name(), null, status.dataTakenAt());
    }

    private String submitterFromLog(String runId) {
        List<AuditEntry> entries = log.query(AuditQuery.all(AuditQuery.MAX_LIMIT));
        for (int i = entries.size() - 1; i >= 0; i--) {
            AuditEntry entry = entries.get(i);
            if (entry.action() == AuditAction.RUN_SUBMITTED && runId.equals(entry.runId())) {
                return entry.who();
            }
        }
        return "unknown";
    }

    private void append(String who, AuditAction action, RunStatus run, String outcome, String detail) {
        append(who, action, run, outcome, detail, null);
    }

    private void append(String who, AuditAction action, RunStatus run, String outcome, String detail,
                        java.time.Instant dataTakenAt) {
        try {
            log.append(new AuditEntry(clock.instant(), who, action, run.id(), sources(run.spec().source()),
                    run.snapshot(), dataTakenAt, masking(run.spec()), outcome, detail));
        } catch (RuntimeException e) {
            // The operation has happened; failing the request now would misreport it. The log says it was missed.
            LOG.log(System.Logger.Level.ERROR, "audit entry lost (" + action + " of " + run.id() + " by " + who
                    + "): " + e.getMessage());
        }
    }

    static List<String> sources(Source source) {
        List<String> names = new ArrayList<>();
        if (source == null) {
            return names;
        }
        if (source.dataDir() != null) {
            names.add(source.dataDir());
        }
        if (source.volume() != null) {
            names.add(source.volume());
        }
        if (source.dataDirs() != null) {
            names.addAll(source.dataDirs());
        }
        if (source.volumes() != null) {
            names.addAll(source.volumes());
        }
        if (source.volumesSelector() != null) {
            names.add("selector:" + source.volumesSelector());
        }
        return names;
    }

    /** Count and digest of the rules, never the rules' arguments or any value. */
    static MaskingSummary masking(RunSpec spec) {
        MaskRules mask = spec.mask();
        if (mask == null || mask.isEmpty()) {
            return null;
        }
        try {
            byte[] canonical = Json.mapper().writeValueAsBytes(mask);
            String digest = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical));
            return new MaskingSummary(mask.ruleSet(), mask.rules().size() + mask.filters().size(), digest);
        } catch (java.io.IOException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot digest the masking rules", e);
        }
    }
}
