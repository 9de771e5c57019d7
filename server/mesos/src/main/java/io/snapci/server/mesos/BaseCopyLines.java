package io.snapci.server.mesos;

import io.snapci.scheduler.portworx.BaseCopySchedule;
import io.snapci.server.config.ConfigException;
import io.snapci.server.config.Durations;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** CI-tier base copies as {@code portworx.baseCopies} holds them, one a line: {@code name;volume;every 1h;keep}. */
final class BaseCopyLines {

    private BaseCopyLines() {
    }

    static List<BaseCopySchedule> parse(List<String> lines) {
        List<BaseCopySchedule> schedules = new ArrayList<>();
        for (String line : lines) {
            String[] f = line.split(";", -1);
            if (f.length != 4 || !f[2].strip().startsWith("every ")) {
                throw problem(line, "expected 4 fields separated by ';': name;volume;every 1h;keep");
            }
            String every = f[2].strip().substring(6);
            Duration interval = Durations.parse(every).orElseThrow(() -> problem(line, "'" + every.strip()
                    + "' is not a duration such as 30m, 1h or 6h"));
            int keep;
            try {
                keep = Integer.parseInt(f[3].strip());
            } catch (NumberFormatException e) {
                throw problem(line, "keep '" + f[3].strip() + "' is not a whole number");
            }
            try {
                schedules.add(new BaseCopySchedule(f[0].strip(), f[1].strip(), interval, keep));
            } catch (IllegalArgumentException e) {
                throw problem(line, e.getMessage());
            }
        }
        if (schedules.stream().map(BaseCopySchedule::name).distinct().count() != schedules.size()) {
            throw new ConfigException("portworx.baseCopies: each base copy needs its own name");
        }
        return schedules;
    }

    private static ConfigException problem(String line, String why) {
        return new ConfigException("portworx.baseCopies line '" + line + "': " + why);
    }
}
