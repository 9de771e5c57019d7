package io.snapci.scheduler.core.schedule;

import io.snapci.model.Source;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.regex.Pattern;

/**
 * Snapshots of one source volume, or of every node volume of a production cluster as one cut, taken on a schedule,
 * so that runs with a {@code maxAge} can reuse recent data instead of each taking a snapshot.
 *
 * @param name         the schedule's name: lower-case letters, digits, dashes (it is part of snapshot names)
 * @param sourceVolume the Portworx volume's name; or a cluster's: its node volumes' names separated by commas
 *                     ({@code cassandra-0,cassandra-1,cassandra-2}), or a label selector every node volume carries
 *                     ({@code app=cassandra[,key=value...]}; a volume name never contains '='). Kept as one string so
 *                     that schedules stored before clusters read the same ({@link #source()} parses it)
 * @param interval     every this long (at least a minute); or null with a cron
 * @param cron         five-field cron in UTC ({@code minute hour day-of-month month day-of-week}); or null
 * @param retention    which of its snapshots to keep
 */
public record SnapshotSchedule(String name, String sourceVolume, Duration interval, String cron, Retention retention) {

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,29}");

    public SnapshotSchedule {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("schedule name '" + name + "' must be 1-30 lower-case letters, digits"
                    + " or dashes, starting with a letter or digit");
        }
        if (sourceVolume == null || sourceVolume.isBlank()) {
            throw new IllegalArgumentException("schedule " + name + " needs the source volume's name");
        }
        if ((interval == null) == (cron == null)) {
            throw new IllegalArgumentException("schedule " + name + " needs exactly one of interval or cron");
        }
        if (interval != null && interval.compareTo(Duration.ofMinutes(1)) < 0) {
            throw new IllegalArgumentException("schedule " + name + ": an interval under a minute would hit"
                    + " Portworx's snapshot cap within the hour; use at least PT1M");
        }
        try {
            parse(sourceVolume);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("schedule " + name + ": " + e.getMessage());
        }
        if (cron != null) {
            Cron.parse(cron);
        }
        if (retention == null) {
            throw new IllegalArgumentException("schedule " + name + " needs a retention (keepLast and/or maxAge)");
        }
    }

    public static SnapshotSchedule every(String name, String sourceVolume, Duration interval, Retention retention) {
        return new SnapshotSchedule(name, sourceVolume, interval, null, retention);
    }

    public static SnapshotSchedule cron(String name, String sourceVolume, String cron, Retention retention) {
        return new SnapshotSchedule(name, sourceVolume, null, cron, retention);
    }

    /**
     * What the schedule snapshots: one volume, or a cluster ({@link Source#isCluster()}) whose node volumes are
     * snapshotted together, one cut per tick.
     */
    public Source source() {
        return parse(sourceVolume);
    }

    private static Source parse(String sourceVolume) {
        String text = sourceVolume.strip();
        if (text.contains("=")) {
            return Source.volumesSelector(text);
        }
        if (text.contains(",")) {
            return Source.volumes(Arrays.stream(text.split(",", -1)).map(String::strip).toList());
        }
        return Source.volume(text);
    }

    /** The most snapshots (of each volume) this schedule's retention could keep at once. */
    public int maxKept() {
        int byCount = retention.keepLast() == null ? Integer.MAX_VALUE : retention.keepLast();
        int byAge = Integer.MAX_VALUE;
        if (retention.maxAge() != null) {
            if (interval != null) {
                byAge = (int) Math.min(Integer.MAX_VALUE, retention.maxAge().toMillis() / interval.toMillis() + 1);
            } else {
                byAge = Cron.parse(cron).countIn(Instant.parse("2026-01-05T00:00:00Z"),
                        Math.min(retention.maxAge().toMinutes() + 1, 60L * 24 * 62)) + 1;
            }
        }
        return Math.min(byCount, byAge);
    }
}
