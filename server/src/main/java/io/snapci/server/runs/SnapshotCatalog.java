package io.snapci.server.runs;

import io.snapci.scheduler.storage.StorageException;
import io.snapci.scheduler.storage.portworx.schedule.ScheduleState;
import io.snapci.scheduler.storage.portworx.schedule.SnapshotSchedule;
import io.snapci.scheduler.storage.portworx.schedule.SnapshotSchedules;
import io.snapci.scheduler.storage.portworx.schedule.TakenSnapshot;

import java.util.List;

/**
 * The snapshots and schedules the API shows and changes. Only a cluster has them (Portworx snapshots); on one
 * machine every run copies the data directory afresh.
 */
public final class SnapshotCatalog {

    private final SnapshotSchedules schedules;

    SnapshotCatalog(SnapshotSchedules schedules) {
        this.schedules = schedules;
    }

    public List<TakenSnapshot> snapshots() throws StorageException {
        return schedules.taken();
    }

    /** Takes a schedule's snapshot now; returns its name. */
    public String takeNow(String schedule) throws StorageException {
        return schedules.takeNow(schedule);
    }

    public List<ScheduleState> schedules() {
        return schedules.list();
    }

    public void add(SnapshotSchedule schedule) {
        schedules.add(schedule);
    }

    /** Whether there was such a schedule. */
    public boolean remove(String name) {
        boolean known = schedules.list().stream().anyMatch(s -> s.schedule().name().equals(name));
        schedules.remove(name);
        return known;
    }
}
