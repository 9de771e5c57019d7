package io.snapci.scheduler.core.schedule;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * A schedule and where it is, as persisted: enough for a restarted scheduler to take one catch-up snapshot for the
 * ticks it missed, not a burst.
 *
 * @param schedule     the schedule
 * @param since        when it was added: interval ticks are counted from here; cron ticks before it do not count
 * @param lastTick     the tick of the last snapshot taken, or null
 * @param lastSnapshot that snapshot's name, or null
 * @param lastError    why the last attempt failed, or null
 */
public record ScheduleState(SnapshotSchedule schedule, Instant since, Instant lastTick, String lastSnapshot,
                            String lastError) {

    public ScheduleState taken(Instant tick, String snapshot) {
        return new ScheduleState(schedule, since, tick, snapshot, null);
    }

    public ScheduleState failed(String error) {
        return new ScheduleState(schedule, since, lastTick, lastSnapshot, error);
    }

    /** The one tick to take at {@code now}, or null: the latest due tick after the last one taken. */
    public Instant dueTick(Instant now) {
        if (schedule.interval() != null) {
            if (lastTick == null) {
                return since.isAfter(now) ? null : since.truncatedTo(ChronoUnit.SECONDS);
            }
            long periods = Duration.between(lastTick, now).toMillis() / schedule.interval().toMillis();
            return periods < 1 ? null : lastTick.plus(schedule.interval().multipliedBy(periods));
        }
        return Cron.parse(schedule.cron()).latestIn(lastTick != null ? lastTick : since, now);
    }
}
