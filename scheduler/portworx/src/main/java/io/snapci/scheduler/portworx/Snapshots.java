package io.snapci.scheduler.portworx;

import io.snapci.scheduler.core.storage.StorageException;
import io.snapci.scheduler.core.storage.StorageException.Kind;
import io.snapci.scheduler.portworx.sdk.Messages;
import io.snapci.scheduler.portworx.sdk.OpenStorageClient;
import io.snapci.scheduler.portworx.sdk.SdkException;
import io.snapci.scheduler.portworx.sdk.Volume;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reading sources and snapci's snapshots, and taking snapshots idempotently. The SDK does not refuse a snapshot
 * name that exists (volume_snapshot.go:30-67): a retry after a lost answer would make a second snapshot of the same
 * name, after which the name no longer resolves. So a snapshot is asked for under a deterministic name that is looked
 * up first, and again after any failure: snapci's own snapshot of that name (a retry, or a crash after it was made) is
 * used; any other volume of that name is a conflict, whatever code the server answered.
 */
public final class Snapshots {

    private final OpenStorageClient client;
    private final OwnedVolumes owned;
    private final int capPerVolume;
    private final int attempts;

    public Snapshots(OpenStorageClient client, OwnedVolumes owned, int capPerVolume, int attempts) {
        this.client = client;
        this.owned = owned;
        this.capPerVolume = capPerVolume;
        this.attempts = Math.max(1, attempts);
    }

    /** The source volume by name; refused when it is one of snapci's own volumes or a snapshot. */
    public Volume source(String name) throws StorageException {
        List<Messages.InspectResponse> found;
        try {
            found = client.inspectWithFilters(name, null);
        } catch (SdkException e) {
            throw Failures.of("looking up the source volume " + name, e);
        }
        if (found.isEmpty()) {
            throw new StorageException(Kind.SOURCE_NOT_FOUND, "there is no Portworx volume named '" + name + "': check"
                    + " the name with pxctl volume list");
        }
        Volume source = found.get(0).volume();
        if (Labels.isSnapci(source)) {
            throw new StorageException(Kind.INVALID_SOURCE, "volume '" + name + "' is one of snapci's own copies"
                    + " (label " + Labels.CREATED_BY + "=" + Labels.SNAPCI + "): give the production volume instead");
        }
        if (source.readonly()) {
            throw new StorageException(Kind.INVALID_SOURCE, "volume '" + name + "' is a snapshot: give the volume"
                    + " it was taken from, and a maxAge if an existing snapshot may be used");
        }
        return source;
    }

    /**
     * Takes (or finds, after a lost answer or a crash) the snapshot named {@code name} of {@code source}. The create
     * is sent once per attempt (the client does not retry it); between attempts the name is looked up.
     */
    public Volume take(Volume source, String name, Map<String, String> labels) throws StorageException {
        Optional<Volume> existing = existingSnapshot(source, name, labels);
        if (existing.isPresent()) {
            return existing.get();
        }
        for (int attempt = 1; ; attempt++) {
            try {
                String id = client.snapshotCreate(source.id(), name, labels);
                return owned.find(id).orElseThrow(() -> new StorageException(Kind.INTERNAL, "snapshot " + name
                        + " (" + id + ") vanished right after it was taken; run the job again"));
            } catch (SdkException e) {
                existing = existingSnapshot(source, name, labels); // made although the answer was an error?
                if (existing.isPresent()) {
                    return existing.get();
                }
                if (!e.saysNoSpace() && countOf(source) >= capPerVolume) {
                    throw new StorageException(Kind.NO_SPACE, "taking snapshot " + name + " of " + source.describe()
                            + " failed: the volume has reached Portworx's limit of " + capPerVolume + " snapshots."
                            + " Portworx said: " + e.portworxMessage() + ". Delete old snapshots of it, or lower the"
                            + " schedules' retention.", e);
                }
                if (!e.isTransient() || attempt >= attempts || Thread.currentThread().isInterrupted()) {
                    throw Failures.of("taking snapshot " + name + " of " + source.describe(), e);
                }
                client.backoff(attempt);
            }
        }
    }

    /**
     * snapci's snapshot of {@code source} named {@code name} with {@code labels}, if it exists; a conflict when the
     * name is held by any other volume (two of ours by that name, from a concurrent try, are both ours: the first
     * is used).
     */
    private Optional<Volume> existingSnapshot(Volume source, String name, Map<String, String> labels)
            throws StorageException {
        List<Volume> named = byName(name);
        Volume ours = null;
        for (Volume v : named) {
            if (owned.whyNotSnapshot(v) == null && source.id().equals(v.parent()) && Labels.carries(v, labels)) {
                ours = ours == null ? v : ours;
            } else {
                throw Failures.nameTaken(name, v.describe() + (v.readonly() ? ", a snapshot of " + v.parent()
                        : ", a writable volume"));
            }
        }
        return Optional.ofNullable(ours);
    }

    /** snapci's snapshots matching {@code labels}, proven its own (not merely labelled), newest first. */
    public List<Volume> owned(Map<String, String> labels) throws StorageException {
        Map<String, String> filter = new java.util.HashMap<>(labels);
        filter.putAll(Labels.allOfKind(Labels.KIND_SNAPSHOT));
        List<Volume> found;
        try {
            found = client.inspectWithFilters(null, filter).stream().map(Messages.InspectResponse::volume).toList();
        } catch (SdkException e) {
            throw Failures.of("listing snapci's snapshots " + labels, e);
        }
        List<Volume> proven = new java.util.ArrayList<>();
        for (Volume v : found) {
            if (owned.whyNotSnapshot(v) == null) {
                proven.add(v);
            }
        }
        proven.sort(Comparator.comparing(Volume::ctime, Comparator.nullsLast(Comparator.reverseOrder())));
        return proven;
    }

    /** Every volume labelled a snapci clone (proven or not), for "is this snapshot still cloned from?". */
    public List<Volume> labelledClones() throws StorageException {
        try {
            return client.inspectWithFilters(null, Labels.allOfKind(Labels.KIND_CLONE)).stream()
                    .map(Messages.InspectResponse::volume).filter(v -> Labels.isKind(v, Labels.KIND_CLONE)).toList();
        } catch (SdkException e) {
            throw Failures.of("listing snapci's clones", e);
        }
    }

    /**
     * The newest scheduled snapshot of {@code source} no older than {@code maxAge} at {@code now}, if any: the
     * freshness rule a run's {@code maxAge} asks for.
     */
    public Optional<Volume> youngestScheduled(Volume source, Duration maxAge, Instant now) throws StorageException {
        Instant oldest = now.minus(maxAge);
        return owned(Map.of(Labels.SOURCE, source.id())).stream()
                .filter(v -> v.labels().containsKey(Labels.SCHEDULE) && source.id().equals(v.parent()))
                .filter(v -> v.ctime() != null && !v.ctime().isBefore(oldest) && !v.ctime().isAfter(now))
                .findFirst();
    }

    /**
     * The newest proven base copy of {@code source} whose data is no older than {@code maxAge} at {@code now}: a
     * run clones it instead of copying production's data to the CI tier itself.
     */
    public Optional<Volume> youngestBaseCopy(Volume source, Duration maxAge, Instant now) throws StorageException {
        Instant oldest = now.minus(maxAge);
        List<Volume> candidates;
        try {
            candidates = client.inspectWithFilters(null, Map.of(Labels.CREATED_BY, Labels.SNAPCI, Labels.KIND,
                    Labels.KIND_BASE, Labels.SOURCE, source.id())).stream().map(Messages.InspectResponse::volume)
                    .filter(v -> Labels.dataTaken(v) != null && !Labels.dataTaken(v).isBefore(oldest)
                            && !Labels.dataTaken(v).isAfter(now))
                    .sorted(Comparator.comparing(Labels::dataTaken).reversed()).toList();
        } catch (SdkException e) {
            throw Failures.of("looking for a base copy of " + source.describe(), e);
        }
        for (Volume v : candidates) {
            if (owned.whyNotBaseCopy(v, null) == null) {
                return Optional.of(v);
            }
        }
        return Optional.empty();
    }

    /** How many snapshots the volume has, snapci's or not: Portworx's cap counts them all. */
    public int countOf(Volume volume) throws StorageException {
        try {
            return client.snapshotEnumerate(volume.id()).size();
        } catch (SdkException e) {
            throw Failures.of("counting the snapshots of " + volume.describe(), e);
        }
    }

    public int capPerVolume() {
        return capPerVolume;
    }

    /** Every volume of that name: InspectWithFilters lists them all, where inspect by a shared name finds none. */
    private List<Volume> byName(String name) throws StorageException {
        try {
            return client.inspectWithFilters(name, null).stream().map(Messages.InspectResponse::volume)
                    .filter(v -> name.equals(v.name())).toList();
        } catch (SdkException e) {
            throw Failures.of("looking up volume " + name, e);
        }
    }
}
