package io.snapci.server.config;

import java.time.Duration;

/**
 * How long serve keeps ended runs, in either mode. Built and checked by {@link ServeConfigLoader}; every field has
 * its {@link ConfigKey}, where the defaults are.
 *
 * @param maxAge   an ended run is deleted (record and files) once it ended longer ago than this
 * @param maxCount an ended run is deleted once this many runs are newer than it, so the store stays small (a
 *                 ZooKeeper listing of its runs must fit in 1 MB: about 40,000 run ids)
 * @param interval how often the runs are checked (and the audit log pruned)
 * @param auditMaxAge an audit entry is deleted once it is older than this ({@code audit.retention})
 */
public record RetentionConfig(Duration maxAge, int maxCount, Duration interval, Duration auditMaxAge) {

    public static final Duration DEFAULT_AUDIT_MAX_AGE = Duration.ofDays(90);

    /** The runs' retention with the audit log's default. */
    public RetentionConfig(Duration maxAge, int maxCount, Duration interval) {
        this(maxAge, maxCount, interval, DEFAULT_AUDIT_MAX_AGE);
    }
}
