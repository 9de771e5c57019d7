package io.snapci.server.config;

import java.time.Duration;

/**
 * How long serve keeps ended runs, in either mode. Built and checked by {@link ServeConfigLoader}; every field has
 * its {@link ConfigKey}, where the defaults are.
 *
 * @param maxAge   an ended run is deleted (record and files) once it ended longer ago than this
 * @param maxCount an ended run is deleted once this many runs are newer than it, so the store stays small (a
 *                 ZooKeeper listing of its runs must fit in 1 MB: about 40,000 run ids)
 * @param interval how often the runs are checked
 */
public record RetentionConfig(Duration maxAge, int maxCount, Duration interval) {
}
