package io.snapci.server.mesos;

import io.snapci.scheduler.portworx.BaseCopySchedule;
import io.snapci.server.config.ConfigException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** CI-tier base copies as {@code portworx.baseCopies} holds them, one a line: {@code name;volume;every 1h;keep}. */
final class BaseCopyLines {

    private BaseCopyLines() {
    }

    static List<BaseCopySchedule> parse(List<String> lines) {
        List<BaseCopySchedule> schedules = new ArrayList<>();
        for (String text : lines) {
            SettingLine line = new SettingLine("portworx.baseCopies", text);
            if (line.fieldCount() != 4 || !line.field(2).startsWith("every ")) {
                throw line.problem("expected 4 fields separated by ';': name;volume;every 1h;keep");
            }
            Duration interval = line.duration(line.field(2).substring(6), "30m, 1h or 6h");
            int keep = line.number("keep", line.field(3));
            try {
                schedules.add(new BaseCopySchedule(line.field(0), line.field(1), interval, keep));
            } catch (IllegalArgumentException e) {
                throw line.problem(e.getMessage());
            }
        }
        if (schedules.stream().map(BaseCopySchedule::name).distinct().count() != schedules.size()) {
            throw new ConfigException("portworx.baseCopies: each base copy needs its own name");
        }
        return schedules;
    }
}
