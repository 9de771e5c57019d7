package io.snapci.scheduler.portworx;

import io.snapci.scheduler.core.storage.StorageException;
import io.snapci.scheduler.core.storage.StorageException.Kind;
import io.snapci.scheduler.portworx.sdk.GrpcCode;
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
 * Reading sources and snapci's snapshots, and taking snapshots idempotently: a snapshot is asked for under a
 * deterministic name, and when Portworx says the name exists (a retry whose first answer was lost, or a crash
 * after the snapshot was made), the existing one is used if it is snapci's snapshot of the same source.
 */
public final class Snapshots {

    private final OpenStorageClient client;
    private final int capPerVolume;

    public Snapshots(OpenStorageClient client, int capPerVolume) {
        this.client = client;
        this.capPerVolume = capPerVolume;
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

    /** Takes (or finds, after a lost answer) the snapshot named {@code name} of {@code source}. */
    public Volume take(Volume source, String name, Map<String, String> labels) throws StorageException {
        try {
            String id = client.snapshotCreate(source.id(), name, labels);
            return client.inspect(id).volume();
        } catch (SdkException e) {
            if (e.code() == GrpcCode.ALREADY_EXISTS || e.isTransient()) {
                Optional<Volume> existing = byName(name);
                if (existing.isPresent() && isSnapshotOf(existing.get(), source, labels)) {
                    return existing.get();
                }
            }
            if (e.code() == GrpcCode.RESOURCE_EXHAUSTED) {
                throw Failures.of("taking snapshot " + name + " of " + source.describe() + " (Portworx allows "
                        + capPerVolume + " snapshots per volume; it has " + countOf(source) + ")", e);
            }
            throw Failures.of("taking snapshot " + name + " of " + source.describe(), e);
        }
    }

    /** snapci's snapshots matching {@code labels} (plus the ownership labels), newest first. */
    public List<Volume> owned(Map<String, String> labels) throws StorageException {
        Map<String, String> filter = new java.util.HashMap<>(labels);
        filter.putAll(Labels.allOfKind(Labels.KIND_SNAPSHOT));
        try {
            return client.inspectWithFilters(null, filter).stream().map(Messages.InspectResponse::volume)
                    .filter(v -> v.readonly() && Labels.isKind(v, Labels.KIND_SNAPSHOT))
                    .sorted(Comparator.comparing(Volume::ctime, Comparator.nullsLast(Comparator.reverseOrder())))
                    .toList();
        } catch (SdkException e) {
            throw Failures.of("listing snapci's snapshots " + labels, e);
        }
    }

    /** Every clone snapci made (labelled), for "is this snapshot still cloned from?". */
    public List<Volume> ownedClones() throws StorageException {
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

    private Optional<Volume> byName(String name) throws StorageException {
        try {
            return client.inspectWithFilters(name, null).stream().map(Messages.InspectResponse::volume).findFirst();
        } catch (SdkException e) {
            throw Failures.of("looking up volume " + name, e);
        }
    }

    private static boolean isSnapshotOf(Volume v, Volume source, Map<String, String> labels) {
        return v.readonly() && source.id().equals(v.parent())
                && labels.entrySet().stream().allMatch(e -> e.getValue().equals(v.labels().get(e.getKey())));
    }
}
