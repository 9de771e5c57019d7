package io.snapci.server.mesos;

import io.snapci.scheduler.core.schedule.Retention;
import io.snapci.scheduler.core.schedule.SnapshotSchedule;
import io.snapci.server.config.ConfigException;
import io.snapci.server.config.Durations;

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

    private ScheduleLines() {
    }

    static List<SnapshotSchedule> parse(List<String> lines) {
        List<SnapshotSchedule> schedules = new ArrayList<>();
        for (String line : lines) {
            String[] f = line.split(";", -1);
            if (f.length != 5) {
                throw problem(line, "expected 5 fields separated by ';': name;volume;every 1h|cron ...;keepLast;maxAge");
            }
            String when = f[2].strip();
            Integer keepLast = f[3].isBlank() ? null : number(line, f[3].strip());
            Duration maxAge = f[4].isBlank() ? null : duration(line, f[4]);
            try {
                Retention retention = new Retention(keepLast, maxAge);
                if (when.startsWith("every ")) {
                    schedules.add(SnapshotSchedule.every(f[0].strip(), f[1].strip(),
                            duration(line, when.substring(6)), retention));
                } else if (when.startsWith("cron ")) {
                    schedules.add(SnapshotSchedule.cron(f[0].strip(), f[1].strip(), when.substring(5).strip(),
                            retention));
                } else {
                    throw problem(line, "the third field is 'every <duration>' or 'cron <5 fields>'");
                }
            } catch (IllegalArgumentException e) {
                throw problem(line, e.getMessage());
            }
        }
        return schedules;
    }

    private static Integer number(String line, String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw problem(line, "keepLast '" + text + "' is not a whole number");
        }
    }

    private static Duration duration(String line, String text) {
        return Durations.parse(text).orElseThrow(() -> problem(line, "'" + text.strip() + "' is not a duration "
                + "such as 30m, 1h or 168h"));
    }

    private static ConfigException problem(String line, String why) {
        return new ConfigException("snapshots.schedules line '" + line + "': " + why);
    }
}
