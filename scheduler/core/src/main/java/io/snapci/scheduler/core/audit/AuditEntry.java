package io.snapci.scheduler.core.audit;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One audit record: who did what, when, to which source. It holds names and counts only — a token's name, never
 * its value; a masking rule set's name, rule count and digest, never the rules' values or any data — so the log
 * can be shown to anyone who may read it.
 *
 * @param at           when the operation happened (the service's clock)
 * @param who          the caller's identity as authentication established it (a static token's name, the ACS
 *                     uid); never the credential itself
 * @param action       what was done
 * @param runId        the run concerned, or null for snapshot and schedule operations outside a run
 * @param sources      the volumes or data directories concerned (empty when none)
 * @param snapshot     the snapshot concerned, or null
 * @param dataTakenAt  when the snapshot's data was taken, when known (its data age is {@code at - dataTakenAt})
 * @param masking      the masking applied, or null when none
 * @param outcome      the operation's result (ACCEPTED, a run's terminal phase, REFUSED ...), or null
 * @param detail       a short human note (why it was refused, say), never a data value
 */
public record AuditEntry(Instant at, String who, AuditAction action, String runId, List<String> sources,
                         String snapshot, Instant dataTakenAt, MaskingSummary masking, String outcome,
                         String detail) {

    public AuditEntry {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(action, "action");
        if (who == null || who.isBlank()) {
            throw new IllegalArgumentException("an audit entry names who did it");
        }
        sources = sources == null ? List.of() : List.copyOf(sources);
    }

    /** Whether any of the entry's sources is {@code source}. */
    public boolean concerns(String source) {
        return sources.contains(source);
    }
}
