package io.snapci.scheduler.portworx;

import io.snapci.scheduler.core.storage.StorageException;
import io.snapci.scheduler.core.storage.StorageException.Kind;

import java.time.Instant;
import java.util.regex.Pattern;

/**
 * Deterministic names for what snapci creates: the same run (or schedule tick) always asks for the same name, so a
 * create retried after a lost answer finds the volume the first try made instead of making a second one.
 */
public final class VolumeNames {

    /** Run ids and schedule names become part of volume names and label values. */
    private static final Pattern TOKEN = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

    private final String prefix;

    public VolumeNames(String prefix) {
        this.prefix = prefix;
    }

    /** {@code snapci-<run>}: the writable clone a run's Cassandra mounts. */
    public String clone(String runId) {
        return prefix + "-" + runId;
    }

    /** {@code snapci-<run>-snap}: the snapshot taken for one run. */
    public String runSnapshot(String runId) {
        return prefix + "-" + runId + "-snap";
    }

    /** {@code snapci-<schedule>-<epoch seconds of the tick>}: one scheduled snapshot per tick. */
    public String scheduledSnapshot(String schedule, Instant tick) {
        return prefix + "-sched-" + schedule + "-" + tick.getEpochSecond();
    }

    public boolean isCloneName(String name) {
        return name != null && name.startsWith(prefix + "-") && !name.endsWith("-snap")
                && !name.startsWith(prefix + "-sched-");
    }

    public static String checkToken(String what, String value) throws StorageException {
        if (value == null || !TOKEN.matcher(value).matches()) {
            throw new StorageException(Kind.REFUSED, what + " '" + value + "' cannot name a Portworx volume: use 1-63"
                    + " lower-case letters, digits and dashes, starting with a letter or digit");
        }
        return value;
    }
}
