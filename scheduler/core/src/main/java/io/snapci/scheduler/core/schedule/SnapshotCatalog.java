package io.snapci.scheduler.core.schedule;

import io.snapci.scheduler.core.storage.StorageException;

import java.util.List;

/**
 * The snapshots snapci took and the schedules that take them, as the API shows and changes them. Only a cluster has
 * them (Portworx snapshots); on one machine every run copies the data directory afresh.
 */
public interface SnapshotCatalog {

    /** Every snapshot snapci took that still exists (scheduled and runs' own), newest first. */
    List<TakenSnapshot> snapshots() throws StorageException;

    /**
     * Takes schedule {@code name}'s snapshot now, under the schedule's retention; returns the snapshot's name.
     *
     * @throws IllegalArgumentException when there is no such schedule
     */
    String takeNow(String name) throws StorageException;

    List<ScheduleState> schedules();

    /**
     * Adds or replaces a schedule.
     *
     * @throws IllegalArgumentException when the storage cannot keep what its retention could keep
     */
    void add(SnapshotSchedule schedule);

    /** Removes a schedule (its snapshots stay until their retention or GC); whether there was one. */
    boolean remove(String name);
}
