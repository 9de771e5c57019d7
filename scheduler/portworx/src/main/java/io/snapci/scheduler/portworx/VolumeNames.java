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

    /**
     * Node {@code node}'s clone of a cluster source: node 1's is the run's clone ({@code snapci-<run>}), the
     * others' {@code snapci-<run>-node-<n>}. Run ids never contain {@code -node-} ({@link #checkRunId}), so a name
     * names one run and one node.
     */
    public String clone(String runId, int node) {
        return node <= 1 ? clone(runId) : clone(runId) + NODE_INFIX + node;
    }

    /** Node {@code node}'s snapshot taken for one run, when taken on its own: {@code <its clone's name>-snap}. */
    public String runSnapshot(String runId, int node) {
        return clone(runId, node) + "-snap";
    }

    /** {@code snapci-<run>-group}: the id of the group snapshot taken for one run (GroupSnapCreateRequest.id). */
    public String group(String runId) {
        return prefix + "-" + runId + "-group";
    }

    private static final String NODE_INFIX = "-node-";
    private static final Pattern NODE_SUFFIX = Pattern.compile("(.+)-node-([2-9]|[1-9][0-9]{1,3})");

    /** {@code snapci-<run>-snap}: the snapshot taken for one run. */
    public String runSnapshot(String runId) {
        return prefix + "-" + runId + "-snap";
    }

    /** {@code snapci-<schedule>-<epoch seconds of the tick>}: one scheduled snapshot per tick. */
    public String scheduledSnapshot(String schedule, Instant tick) {
        return prefix + "-sched-" + schedule + "-" + tick.getEpochSecond();
    }

    /**
     * Node {@code node}'s snapshot of a scheduled cut taken one after the other (no group snapshot): node 1's is
     * named as the cut ({@link #scheduledSnapshot}), node n's {@code <cut>-node-<n>}.
     */
    public String scheduledCutSnapshot(String cut, int node) {
        return node <= 1 ? cut : cut + NODE_INFIX + node;
    }

    /** {@code snapci-base-<base>-<epoch seconds>-snap}: the snapshot a base copy is cloned from. */
    public String baseSnapshot(String base, Instant tick) {
        return baseCopy(base, tick) + "-snap";
    }

    /** {@code snapci-base-<base>-<epoch seconds>}: a CI-tier base copy of a source, refreshed by its schedule. */
    public String baseCopy(String base, Instant tick) {
        return prefix + "-base-" + base + "-" + tick.getEpochSecond();
    }

    public boolean isScheduledSnapshotName(String schedule, String name) {
        return name != null && name.matches(Pattern.quote(prefix + "-sched-" + schedule + "-") + "[0-9]+");
    }

    public boolean isBaseCopyName(String base, String name) {
        return name != null && name.matches(Pattern.quote(prefix + "-base-" + base + "-") + "[0-9]+");
    }

    public boolean isBaseSnapshotName(String base, String name) {
        return name != null && name.matches(Pattern.quote(prefix + "-base-" + base + "-") + "[0-9]+-snap");
    }

    /** The run a clone's name says it belongs to ({@code snapci-<run>}), or null when it is no clone name. */
    public String runOfCloneName(String name) {
        if (name == null || !name.startsWith(prefix + "-") || name.endsWith("-snap")
                || name.startsWith(prefix + "-sched-") || name.startsWith(prefix + "-base-")) {
            return null;
        }
        String run = name.substring(prefix.length() + 1);
        java.util.regex.Matcher node = NODE_SUFFIX.matcher(run);
        if (node.matches()) {
            run = node.group(1); // a further node's clone of a cluster source
        }
        return TOKEN.matcher(run).matches() && !run.contains(NODE_INFIX) ? run : null;
    }

    /** A run id: a token that does not start like a schedule's or base copy's names ({@code sched-}, {@code base-}). */
    public static String checkRunId(String runId) throws StorageException {
        checkToken("run id", runId);
        if (runId.contains(NODE_INFIX)) {
            throw new StorageException(Kind.REFUSED, "run id '" + runId + "' would name a volume like a further"
                    + " node's clone of another run's: use one without " + NODE_INFIX);
        }
        if (runId.startsWith("sched-") || runId.startsWith("base-")) {
            throw new StorageException(Kind.REFUSED, "run id '" + runId + "' would name a volume like a snapshot"
                    + " schedule's or base copy's: use one that does not start with sched- or base-");
        }
        return runId;
    }

    public static String checkToken(String what, String value) throws StorageException {
        if (value == null || !TOKEN.matcher(value).matches()) {
            throw new StorageException(Kind.REFUSED, what + " '" + value + "' cannot name a Portworx volume: use 1-63"
                    + " lower-case letters, digits and dashes, starting with a letter or digit");
        }
        return value;
    }
}
