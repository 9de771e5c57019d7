package io.snapci.scheduler.core.run;

import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Run ids that sort by time and read well in paths and volume names: {@code r20261125-061253-4f2a}.
 * Lower case letters, digits and dashes only, so the same id can name a Portworx volume or a Mesos task.
 */
public final class RunIds {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
            .withZone(ZoneOffset.UTC);

    private final Clock clock;

    public RunIds(Clock clock) {
        this.clock = clock;
    }

    public String next() {
        return "r" + STAMP.format(clock.instant()) + "-"
                + String.format("%04x", ThreadLocalRandom.current().nextInt(0x10000));
    }
}
