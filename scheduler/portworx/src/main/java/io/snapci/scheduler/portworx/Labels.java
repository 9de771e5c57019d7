package io.snapci.scheduler.portworx;

import io.snapci.scheduler.portworx.sdk.Volume;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * The labels that mark what snapci made in Portworx. {@code created-by=snapci} is needed but not enough: on
 * Portworx every clone or snapshot inherits its parent's labels (api.proto:3728-3730), so anyone's copy of a snapci
 * volume carries them; {@link VolumeProof} adds name, shape and parent. The others say what it is and whom it
 * belongs to, so that GC, retention and crash recovery can decide without any state of their own. Values are ids,
 * names and epoch seconds only (label values are restricted to letters, digits, '-', '_' and '.').
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
    /** On clones and base copies: the snapshot they were made from, and when its data was taken (epoch seconds). */
    public static final String SNAPSHOT = "snapci-snapshot";
    public static final String DATA_TAKEN = "snapci-data-taken";
    /** On base copies and their snapshots: the base copy schedule's name. */
    public static final String BASE = "snapci-base";
    /** On a run's clone made from a base copy: the base copy's id. */
    public static final String BASE_COPY = "snapci-base-copy";
    /** Which node of a cluster source (2..N) a run's snapshot or clone is of; absent for one node and node 1. */
    public static final String NODE = "snapci-node";
    /** A run's group snapshot: the group id ({@link VolumeNames#group}) every snapshot of the one cut carries. */
    public static final String GROUP = "snapci-group";
    /**
     * On a scheduled cut of a cluster: how it was taken, {@link #CUT_GROUP} (one group snapshot, every node at one
     * moment) or {@link #CUT_SEQUENTIAL} (one after the other: the spread is from the first snapshot's ctime to the
     * last's). Its {@link #GROUP} is the cut's id ({@link VolumeNames#scheduledSnapshot}).
     */
    public static final String CUT = "snapci-cut";
    public static final String CUT_GROUP = "group";
    public static final String CUT_SEQUENTIAL = "sequential";

    public static final String KIND_SNAPSHOT = "snapshot";
    public static final String KIND_CLONE = "clone";
    /** A CI-tier base copy of a source, which runs clone. */
    public static final String KIND_BASE = "base";

    /**
     * Every label snapci sets. A clone inherits its parent's labels (api.proto:3728-3730), so a clone's labels are
     * sent with an empty value for each of these it must not carry (an empty value deletes, fake.go:351-364).
     */
    public static final java.util.List<String> ALL = java.util.List.of(CREATED_BY, KIND, RUN, SOURCE, SOURCE_NAME,
            SCHEDULE, SNAPSHOT, DATA_TAKEN, BASE, BASE_COPY, NODE, GROUP, CUT);

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

    /** Node {@code node} (from 1) of a cluster source's run snapshot, taken on its own (no group snapshot). */
    public static Map<String, String> runSnapshot(String runId, Volume source, int node) {
        return withNode(runSnapshot(runId, source), node);
    }

    /**
     * What a group snapshot request gives every snapshot of the cut (GroupSnapCreateRequest has one {@code Labels}
     * map for them all, api.proto:1564): the per-volume labels (source, node) are added after, by
     * {@link OwnedVolumes#labelGroupSnapshot}.
     */
    public static Map<String, String> groupSnapshot(String runId, String group) {
        return Map.of(CREATED_BY, SNAPCI, KIND, KIND_SNAPSHOT, RUN, runId, GROUP, group);
    }

    /** A group snapshot's labels once it is known which source (node) it is of. */
    public static Map<String, String> groupSnapshot(String runId, String group, Volume source, int node) {
        Map<String, String> labels = new HashMap<>(runSnapshot(runId, source, node));
        labels.put(GROUP, group);
        return Map.copyOf(labels);
    }

    /** Node {@code node}'s clone of a cluster source. */
    public static Map<String, String> clone(String runId, Volume source, Volume snapshot, int node) {
        return withNode(clone(runId, source, snapshot), node);
    }

    /** The node (from 1) of a cluster source a snapshot or clone is of: 1 without the label. */
    public static int node(Volume v) {
        String n = v.labels().get(NODE);
        try {
            return n == null || n.isEmpty() ? 1 : Integer.parseInt(n);
        } catch (NumberFormatException e) {
            return -1; // not a label snapci writes: proves nothing
        }
    }

    private static Map<String, String> withNode(Map<String, String> labels, int node) {
        if (node <= 1) {
            return labels;
        }
        Map<String, String> out = new HashMap<>(labels);
        out.put(NODE, Integer.toString(node));
        return Map.copyOf(out);
    }

    public static Map<String, String> scheduledSnapshot(String schedule, Volume source) {
        return Map.of(CREATED_BY, SNAPCI, KIND, KIND_SNAPSHOT, SCHEDULE, schedule, SOURCE, source.id(),
                SOURCE_NAME, source.name());
    }

    /**
     * What every snapshot of schedule {@code schedule}'s cut {@code cut} carries from the start: for a group snapshot
     * the request's one label map (api.proto:1564), which names the schedule and the cut but no source yet.
     */
    public static Map<String, String> scheduledCut(String schedule, String cut, String how) {
        return Map.of(CREATED_BY, SNAPCI, KIND, KIND_SNAPSHOT, SCHEDULE, schedule, GROUP, cut, CUT, how);
    }

    /** A scheduled cut's snapshot of node {@code node} (from 1) once its source is known. */
    public static Map<String, String> scheduledCut(String schedule, String cut, String how, Volume source, int node) {
        Map<String, String> labels = new HashMap<>(scheduledCut(schedule, cut, how));
        labels.put(SOURCE, source.id());
        labels.put(SOURCE_NAME, source.name());
        return withNode(labels, node);
    }

    public static Map<String, String> baseSnapshot(String base, Volume source) {
        return Map.of(CREATED_BY, SNAPCI, KIND, KIND_SNAPSHOT, BASE, base, SOURCE, source.id(),
                SOURCE_NAME, source.name());
    }

    /** A base copy's labels: its schedule, source and snapshot, and when the data was taken. */
    public static Map<String, String> baseCopy(String base, Volume source, Volume snapshot) {
        Map<String, String> labels = new HashMap<>(Map.of(CREATED_BY, SNAPCI, KIND, KIND_BASE, BASE, base,
                SOURCE, source.id(), SOURCE_NAME, source.name(), SNAPSHOT, snapshot.id()));
        if (snapshot.ctime() != null) {
            labels.put(DATA_TAKEN, Long.toString(snapshot.ctime().getEpochSecond()));
        }
        return Map.copyOf(labels);
    }

    /** A run's clone of a base copy: its data was taken when the base copy's was. */
    public static Map<String, String> cloneOfBase(String runId, Volume source, Volume baseCopy) {
        Map<String, String> labels = new HashMap<>(Map.of(CREATED_BY, SNAPCI, KIND, KIND_CLONE, RUN, runId,
                SOURCE, source.id(), SOURCE_NAME, source.name(), BASE_COPY, baseCopy.id()));
        Instant taken = dataTaken(baseCopy);
        if (taken != null) {
            labels.put(DATA_TAKEN, Long.toString(taken.getEpochSecond()));
        }
        return Map.copyOf(labels);
    }

    /**
     * {@code labels} as sent for a clone (at creation as {@code additional_labels}, and in the follow-up update):
     * with an empty value for each snapci label it does not carry, so that none it inherited stays.
     */
    public static Map<String, String> replacing(Map<String, String> labels) {
        Map<String, String> out = new HashMap<>(labels);
        for (String key : ALL) {
            out.putIfAbsent(key, "");
        }
        return out;
    }

    /** Whether {@code v} carries exactly these snapci labels (others, such as inherited application labels, aside). */
    public static boolean carries(Volume v, Map<String, String> labels) {
        for (String key : ALL) {
            String want = labels.get(key);
            String have = v.labels().get(key);
            if (want == null ? have != null && !have.isEmpty() : !want.equals(have)) {
                return false;
            }
        }
        return true;
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
