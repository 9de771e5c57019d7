package io.snapci.scheduler.portworx;

import io.snapci.scheduler.core.storage.StorageException;
import io.snapci.scheduler.portworx.sdk.Volume;

import java.util.Optional;

/**
 * Whether a volume is provably one snapci made, and for what. Labels alone prove nothing: on Portworx a clone or
 * snapshot inherits its parent's labels (api.proto:3728-3730), so a user's clone of a run's clone carries
 * {@code created-by=snapci} and the run's id. A volume is snapci's only when all of these agree:
 * <ul>
 *   <li>its name is the one {@link VolumeNames} gives that run, schedule or base copy;</li>
 *   <li>its kind matches its shape: a snapshot is read-only with its source as parent; a clone or base copy is
 *       writable, its parent the snapshot (or base copy) its label names, and that parent is itself proven — or gone,
 *       when name, kind and labels still agree;</li>
 *   <li>its labels agree with each other and with its parent's (same source, one purpose, nothing inherited left
 *       over, such as a schedule's label on a clone).</li>
 * </ul>
 * Each check answers null when proven, or why not, for the refusal's message.
 */
final class VolumeProof {

    /** Reads a parent; empty when it does not exist. */
    @FunctionalInterface
    interface Lookup {
        Optional<Volume> find(String volumeId) throws StorageException;

        /** Whether this volume was proven in the same call already (its own proof is not repeated). */
        default boolean proven(String volumeId) {
            return false;
        }
    }

    private final VolumeNames names;

    VolumeProof(VolumeNames names) {
        this.names = names;
    }

    /** A run's, a schedule's or a base copy's snapshot of a source. */
    String whyNotSnapshot(Volume v) {
        if (!v.readonly()) {
            return "it is writable, and snapci's snapshots are read-only";
        }
        if (!Labels.isKind(v, Labels.KIND_SNAPSHOT)) {
            return lacks(Labels.KIND_SNAPSHOT);
        }
        String source = v.labels().get(Labels.SOURCE);
        if (source == null || !source.equals(v.parent())) {
            return "its parent " + v.parent() + " is not the source its label " + Labels.SOURCE + " names (" + source
                    + "): a copy of someone else's volume that inherited snapci's labels";
        }
        String run = v.labels().get(Labels.RUN);
        String schedule = v.labels().get(Labels.SCHEDULE);
        String base = v.labels().get(Labels.BASE);
        int purposes = (run != null ? 1 : 0) + (schedule != null ? 1 : 0) + (base != null ? 1 : 0);
        if (purposes != 1 || v.labels().containsKey(Labels.SNAPSHOT) || v.labels().containsKey(Labels.BASE_COPY)) {
            return "its labels do not say one purpose (a run, a schedule or a base copy)";
        }
        String group = v.labels().get(Labels.GROUP);
        String cut = v.labels().get(Labels.CUT);
        if (group != null && run != null && !names.group(run).equals(group)) {
            return "its group label " + group + " is not the one snapci gives run " + run + "'s group snapshot";
        }
        if (group != null && schedule != null && !names.isScheduledSnapshotName(schedule, group)) {
            return "its group label " + group + " is not a cut id snapci gives schedule " + schedule;
        }
        if (group != null && base != null || cut != null && (schedule == null || group == null
                || !cut.equals(Labels.CUT_GROUP) && !cut.equals(Labels.CUT_SEQUENTIAL))) {
            return "its cut labels (" + Labels.GROUP + ", " + Labels.CUT + ") are not ones snapci writes";
        }
        int node = Labels.node(v);
        if (node < 1) {
            return "its node label " + v.labels().get(Labels.NODE) + " is not a node number";
        }
        // A group snapshot's names are the storage driver's (the request has a group id, no names: api.proto:1564),
        // so its proof is the group id label, the source label matching its parent, and being read-only. A scheduled
        // cut taken one after the other has snapci's names, which are checked.
        boolean named = run != null ? group != null || names.runSnapshot(run, node).equals(v.name())
                : schedule != null ? (group == null ? names.isScheduledSnapshotName(schedule, v.name())
                        : Labels.CUT_GROUP.equals(cut) || names.scheduledCutSnapshot(group, node).equals(v.name()))
                : names.isBaseSnapshotName(base, v.name());
        return named ? null : "its name " + v.name() + " is not the one snapci gives such a snapshot";
    }

    /** Snapci's clone for {@code run} (any run when null): an empty volume, a clone of a snapshot or of a base copy. */
    String whyNotClone(Volume v, String run, Lookup lookup) throws StorageException {
        if (v.readonly()) {
            return "it is read-only, and snapci's clones are writable";
        }
        if (!Labels.isKind(v, Labels.KIND_CLONE)) {
            return lacks(Labels.KIND_CLONE);
        }
        String owner = v.labels().get(Labels.RUN);
        if (owner == null || run != null && !run.equals(owner)) {
            return "it belongs to run " + owner + ", not to run " + run;
        }
        int node = Labels.node(v);
        if (node < 1 || !names.clone(owner, node).equals(v.name())) {
            return "its name " + v.name() + " is not " + names.clone(owner, node) + ", the one snapci gives run "
                    + owner + "'s clone" + (node > 1 ? " of node " + node : "");
        }
        if (v.labels().containsKey(Labels.SCHEDULE) || v.labels().containsKey(Labels.BASE)) {
            return "it still carries a label it inherited (" + Labels.SCHEDULE + " or " + Labels.BASE + ")";
        }
        String snapshot = v.labels().get(Labels.SNAPSHOT);
        String base = v.labels().get(Labels.BASE_COPY);
        if (snapshot == null && base == null) {
            return v.parent() == null && !v.labels().containsKey(Labels.SOURCE) ? null
                    : "it has a parent or source but no label naming the snapshot it was made from";
        }
        if (snapshot != null && base != null) {
            return "it names both a snapshot and a base copy as its parent";
        }
        String expected = snapshot != null ? snapshot : base;
        if (!expected.equals(v.parent())) {
            return "its parent " + v.parent() + " is not " + expected + ", the one its label names";
        }
        Optional<Volume> parent = lookup.find(expected);
        if (parent.isEmpty()) {
            return null; // the parent is gone; name, kind and labels agree
        }
        String why = lookup.proven(expected) ? null
                : snapshot != null ? whyNotSnapshot(parent.get()) : whyNotBaseCopy(parent.get(), null, lookup);
        if (why == null && base != null && !Labels.isKind(parent.get(), Labels.KIND_BASE)) {
            why = "it is not a base copy";
        }
        if (why == null && snapshot != null && !Labels.isKind(parent.get(), Labels.KIND_SNAPSHOT)) {
            why = "it is not a snapshot";
        }
        if (why != null) {
            return "its parent " + parent.get().describe() + " is not snapci's: " + why;
        }
        return sameSource(v, parent.get());
    }

    /** A base copy of schedule {@code base} (any when null). */
    String whyNotBaseCopy(Volume v, String base, Lookup lookup) throws StorageException {
        if (v.readonly()) {
            return "it is read-only, and base copies are writable";
        }
        if (!Labels.isKind(v, Labels.KIND_BASE)) {
            return lacks(Labels.KIND_BASE);
        }
        String owner = v.labels().get(Labels.BASE);
        if (owner == null || base != null && !base.equals(owner)) {
            return "it belongs to base copy schedule " + owner + ", not to " + base;
        }
        if (!names.isBaseCopyName(owner, v.name())) {
            return "its name " + v.name() + " is not one snapci gives a base copy of " + owner;
        }
        if (v.labels().containsKey(Labels.RUN) || v.labels().containsKey(Labels.SCHEDULE)
                || v.labels().containsKey(Labels.BASE_COPY)) {
            return "it carries a run's or schedule's label";
        }
        String snapshot = v.labels().get(Labels.SNAPSHOT);
        if (snapshot == null || !snapshot.equals(v.parent())) {
            return "its parent " + v.parent() + " is not the snapshot its label names (" + snapshot + ")";
        }
        Optional<Volume> parent = lookup.find(snapshot);
        if (parent.isEmpty()) {
            return null;
        }
        String why = whyNotSnapshot(parent.get());
        if (why == null && !owner.equals(parent.get().labels().get(Labels.BASE))) {
            why = "it was taken for another purpose";
        }
        return why != null ? "its snapshot " + parent.get().describe() + " is not snapci's: " + why
                : sameSource(v, parent.get());
    }

    /**
     * A clone for {@code run} that is not labelled yet (just made, or left by a crash or an old server that ignores
     * {@code additional_labels}): writable, named for the run, made from a proven snapshot or base copy; or, its
     * parent gone, still carrying the labels it inherited from the run's own snapshot.
     */
    String whyNotAdoptable(Volume v, String run, Lookup lookup) throws StorageException {
        if (run == null || v.readonly() || Labels.node(v) < 1 || !names.clone(run, Labels.node(v)).equals(v.name())
                || v.parent() == null) {
            return "it is not a writable volume named " + names.clone(run) + " made from another";
        }
        Optional<Volume> parent = lookup.find(v.parent());
        if (parent.isEmpty()) {
            boolean inheritedFromRun = Labels.isKind(v, Labels.KIND_SNAPSHOT) && run.equals(v.labels().get(Labels.RUN))
                    && !v.labels().containsKey(Labels.SCHEDULE) && !v.labels().containsKey(Labels.BASE);
            return inheritedFromRun ? null : "its parent " + v.parent() + " is gone and its labels do not name run "
                    + run;
        }
        if (whyNotSnapshot(parent.get()) == null || whyNotBaseCopy(parent.get(), null, lookup) == null) {
            return null;
        }
        return "its parent " + parent.get().describe() + " is not a snapshot or base copy snapci made";
    }

    private static String sameSource(Volume child, Volume parent) {
        String a = child.labels().get(Labels.SOURCE);
        String b = parent.labels().get(Labels.SOURCE);
        return a != null && a.equals(b) ? null : "its source label " + a + " differs from its parent's " + b;
    }

    private static String lacks(String kind) {
        return "it lacks snapci's labels " + Labels.CREATED_BY + "=" + Labels.SNAPCI + ", " + Labels.KIND + "=" + kind
                + ", so snapci did not make it as one";
    }
}
