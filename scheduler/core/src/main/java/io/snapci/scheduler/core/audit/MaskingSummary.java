package io.snapci.scheduler.core.audit;

/**
 * What an audit entry says of a run's masking: enough to tell which rules were applied (and whether two runs had
 * the same ones, by the digest), nothing that reveals a value.
 *
 * @param ruleSet   the named rule set the run used, or null for rules written in the spec
 * @param ruleCount how many rules
 * @param digest    SHA-256 of the rules' canonical JSON, hex
 */
public record MaskingSummary(String ruleSet, int ruleCount, String digest) {
}
