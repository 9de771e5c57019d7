package io.snapci.server.mesos;

import io.snapci.scheduler.core.schedule.Retention;
import io.snapci.scheduler.core.schedule.SnapshotSchedule;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Snapshot schedules as the package writes them into {@code snapshots.schedules}, one a line:
 * {@code name;volume;every 1h|cron 0 3 * * *;keepLast;maxAge} (keepLast and maxAge may be empty, not both). The volume
 * field names one volume, or a cluster as one cut: {@code cassandra-0,cassandra-1,cassandra-2} or a label selector
 * {@code app=cassandra} ({@link SnapshotSchedule#source()}).
 */
final class ScheduleLines {

    private static final String DURATIONS = "30m, 1h or 168h";

    private ScheduleLines() {
    }

    static List<SnapshotSchedule> parse(List<String> lines) {
        List<SnapshotSchedule> schedules = new ArrayList<>();
        for (String text : lines) {
            SettingLine line = new SettingLine("snapshots.schedules", text);
            if (line.fieldCount() != 5) {
                throw line.problem("expected 5 fields separated by ';': name;volume;every 1h|cron ...;keepLast;maxAge");
            }
            String when = line.field(2);
            Integer keepLast = line.field(3).isEmpty() ? null : line.number("keepLast", line.field(3));
            Duration maxAge = line.field(4).isEmpty() ? null : line.duration(line.field(4), DURATIONS);
            try {
                Retention retention = new Retention(keepLast, maxAge);
                if (when.startsWith("every ")) {
                    schedules.add(SnapshotSchedule.every(line.field(0), line.field(1),
                            line.duration(when.substring(6), DURATIONS), retention));
                } else if (when.startsWith("cron ")) {
                    schedules.add(SnapshotSchedule.cron(line.field(0), line.field(1), when.substring(5).strip(),
                            retention));
                } else {
                    throw line.problem("the third field is 'every <duration>' or 'cron <5 fields>'");
                }
            } catch (IllegalArgumentException e) {
                throw line.problem(e.getMessage());
            }
        }
        return schedules;
    }
}
