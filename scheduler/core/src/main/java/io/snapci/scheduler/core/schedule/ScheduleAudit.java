package io.snapci.scheduler.core.schedule;

import java.time.Instant;
import java.util.List;

/**
 * Told of each snapshot a schedule takes and each one its retention deletes, so that the audit log records snapshot
 * operations nobody asked for in a request (issue 15: every run and snapshot operation).
 */
public interface ScheduleAudit {

    ScheduleAudit NONE = new ScheduleAudit() {
        @Override
        public void taken(String schedule, List<String> sources, String snapshot, Instant dataTakenAt) {
        }

        @Override
        public void deleted(String schedule, List<String> sources, String snapshot, String why) {
        }
    };

    /**
     * @param sources     the volumes the snapshot (or cut, of a cluster) is of, by name
     * @param snapshot    the snapshot's name, or a cut's id
     * @param dataTakenAt when its data was taken
     */
    void taken(String schedule, List<String> sources, String snapshot, Instant dataTakenAt);

    /** @param why the retention rule that let it go */
    void deleted(String schedule, List<String> sources, String snapshot, String why);
}
