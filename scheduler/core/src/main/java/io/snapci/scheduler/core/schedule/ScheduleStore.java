package io.snapci.scheduler.core.schedule;

import java.util.List;

/**
 * Where snapshot schedules are kept with the scheduler's other state: in memory, in files, or (like runs) in
 * ZooKeeper. Saving replaces what was stored under the schedule's name.
 */
public interface ScheduleStore {

    void save(ScheduleState state);

    void delete(String scheduleName);

    /** Every schedule, by name. */
    List<ScheduleState> list();
}
