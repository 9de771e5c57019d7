package io.snapci.scheduler.storage.portworx.schedule;

import java.time.Instant;

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
}
