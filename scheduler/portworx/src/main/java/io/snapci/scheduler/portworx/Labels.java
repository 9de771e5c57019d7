package io.snapci.scheduler.portworx;

import io.snapci.scheduler.portworx.sdk.Volume;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * The labels that mark what snapci made in Portworx. {@code created-by=snapci} is the ownership mark: nothing
 * without it is ever deleted or changed. The others say what it is and whom it belongs to, so that GC, retention and
 * crash recovery can decide without any state of their own. Values are ids, names and epoch seconds only (label
 * values are restricted to letters, digits, '-', '_' and '.').
 */
public final class Labels {

    public static final String CREATED_BY = "created-by";
    public static final String SNAPCI = "snapci";
    /** {@code snapshot} or {@code clone}. */
    public static final String KIND = "snapci-kind";
    public static final String RUN = "snapci-run";
    /** The source volume's id. */
    public static final String SOURCE = "snapci-source";
    public static final String SOURCE_NAME = "snapci-source-name";
    /** On scheduled snapshots: the schedule's name. */
    public static final String SCHEDULE = "snapci-schedule";
    /** On clones: the snapshot they were made from, and when its data was taken (epoch seconds). */
    public static final String SNAPSHOT = "snapci-snapshot";
    public static final String DATA_TAKEN = "snapci-data-taken";

    public static final String KIND_SNAPSHOT = "snapshot";
    public static final String KIND_CLONE = "clone";

    private Labels() {
    }

    public static boolean isSnapci(Volume v) {
        return SNAPCI.equals(v.labels().get(CREATED_BY));
    }

    public static boolean isKind(Volume v, String kind) {
        return isSnapci(v) && kind.equals(v.labels().get(KIND));
    }

    /** Every snapshot, or every clone, snapci made: the filter for InspectWithFilters. */
    public static Map<String, String> allOfKind(String kind) {
        return Map.of(CREATED_BY, SNAPCI, KIND, kind);
    }

    public static Map<String, String> runSnapshot(String runId, Volume source) {
        return Map.of(CREATED_BY, SNAPCI, KIND, KIND_SNAPSHOT, RUN, runId, SOURCE, source.id(),
                SOURCE_NAME, source.name());
    }

    public static Map<String, String> scheduledSnapshot(String schedule, Volume source) {
        return Map.of(CREATED_BY, SNAPCI, KIND, KIND_SNAPSHOT, SCHEDULE, schedule, SOURCE, source.id(),
                SOURCE_NAME, source.name());
    }

    /** A clone's labels; {@code source} and {@code snapshot} are null for an empty volume. */
    public static Map<String, String> clone(String runId, Volume source, Volume snapshot) {
        Map<String, String> labels = new HashMap<>(Map.of(CREATED_BY, SNAPCI, KIND, KIND_CLONE, RUN, runId));
        if (source != null) {
            labels.put(SOURCE, source.id());
            labels.put(SOURCE_NAME, source.name());
        }
        if (snapshot != null) {
            labels.put(SNAPSHOT, snapshot.id());
            if (snapshot.ctime() != null) {
                labels.put(DATA_TAKEN, Long.toString(snapshot.ctime().getEpochSecond()));
            }
        }
        return Map.copyOf(labels);
    }

    public static Instant dataTaken(Volume clone) {
        String seconds = clone.labels().get(DATA_TAKEN);
        try {
            return seconds == null ? clone.ctime() : Instant.ofEpochSecond(Long.parseLong(seconds));
        } catch (NumberFormatException e) {
            return clone.ctime();
        }
    }
}
