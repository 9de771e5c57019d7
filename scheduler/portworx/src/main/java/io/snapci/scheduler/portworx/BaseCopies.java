package io.snapci.scheduler.portworx;

import io.snapci.scheduler.core.process.PeriodicTask;
import io.snapci.scheduler.core.storage.StorageException;
import io.snapci.scheduler.core.storage.StorageException.Kind;
import io.snapci.scheduler.core.schedule.ScheduleAudit;
import io.snapci.scheduler.portworx.sdk.Messages;
import io.snapci.scheduler.portworx.sdk.OpenStorageClient;
import io.snapci.scheduler.portworx.sdk.SdkException;
import io.snapci.scheduler.portworx.sdk.Volume;
import io.snapci.scheduler.portworx.sdk.VolumeSpecUpdate;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Keeps, per source, a CI-tier base copy fresh: off the runs' critical path, a snapshot of the source
 * ({@code snapci-base-<name>-<t>-snap}) is cloned into a base copy ({@code snapci-base-<name>-<t>}) whose replicas
 * are moved to the CI nodes and pools once. That move is the one full copy of the data Portworx makes, on
 * production's pools; runs then clone the base copy (instant, already on the CI tier, nothing copied per run).
 *
 * <p>Stateless: when a refresh is due is read from the newest base copy's data time; ticks are aligned to
 * {@code every}, so a refresh retried after a crash or a lost answer asks for the same names. Retention keeps the
 * newest {@code keep} base copies of each schedule and deletes older ones once no run's clone is made from them,
 * then their snapshots; base copies of a schedule no longer configured are retired the same way. Everything goes
 * through {@link OwnedVolumes}, which proves each volume snapci's before it changes or deletes it.
 */
public final class BaseCopies implements AutoCloseable {

    private final OpenStorageClient client;
    private final OwnedVolumes owned;
    private final Snapshots snapshots;
    private final CiPlacement placement;
    private final VolumeNames names;
    private final List<BaseCopySchedule> schedules;
    private final Clock clock;
    private final ScheduleAudit audit;
    private PeriodicTask timer;

    public BaseCopies(PortworxDriver driver, List<BaseCopySchedule> schedules, Clock clock) {
        this(driver, schedules, clock, ScheduleAudit.NONE);
    }

    /** @param audit told of each base copy made and each base copy or base snapshot retention deletes */
    public BaseCopies(PortworxDriver driver, List<BaseCopySchedule> schedules, Clock clock, ScheduleAudit audit) {
        this.client = driver.client();
        this.owned = driver.ownedVolumes();
        this.snapshots = driver.snapshots();
        this.placement = driver.placement();
        this.names = driver.names();
        this.schedules = List.copyOf(schedules);
        this.clock = clock;
        this.audit = audit;
        long distinct = schedules.stream().map(BaseCopySchedule::name).distinct().count();
        if (distinct != schedules.size()) {
            throw new IllegalArgumentException("base copy schedule names must be unique: " + schedules);
        }
    }

    public List<BaseCopySchedule> schedules() {
        return schedules;
    }

    /** Refreshes the base copies that are due and applies retention; one line per action. */
    public synchronized List<String> tick() {
        List<String> log = new ArrayList<>();
        Instant now = clock.instant();
        for (BaseCopySchedule schedule : schedules) {
            try {
                Optional<Volume> newest = baseCopies(schedule.name()).stream().findFirst();
                Instant due = aligned(schedule, now);
                boolean fresh = newest.isPresent() && Labels.dataTaken(newest.get()) != null
                        && !Labels.dataTaken(newest.get()).isBefore(due);
                if (!fresh) {
                    Volume copy = refresh(schedule, due);
                    audit.taken(schedule.name(), List.of(schedule.sourceVolume()), copy.name(),
                            Labels.dataTaken(copy));
                    log.add("base copy " + copy.name() + " of " + schedule.sourceVolume() + " made for tick " + due);
                }
                log.addAll(retain(schedule.name(), schedule.keep()));
            } catch (StorageException | RuntimeException e) {
                log.add("base copy schedule " + schedule.name() + " failed: " + e.getMessage());
            }
        }
        try {
            Set<String> configured = schedules.stream().map(BaseCopySchedule::name).collect(Collectors.toSet());
            for (String name : baseNames()) {
                if (!configured.contains(name)) {
                    log.addAll(retain(name, 0)); // a schedule no longer configured: its base copies go
                }
            }
        } catch (StorageException | RuntimeException e) {
            log.add("retiring base copies of removed schedules failed: " + e.getMessage());
        }
        return log;
    }

    /** Makes schedule {@code schedule}'s base copy for {@code tick} now (or finds it, made by an earlier try). */
    public synchronized Volume refresh(BaseCopySchedule schedule, Instant tick) throws StorageException {
        Volume source = snapshots.source(schedule.sourceVolume());
        owned.protect(source);
        String copyName = names.baseCopy(schedule.name(), tick);
        Volume snap = snapshots.take(source, names.baseSnapshot(schedule.name(), tick),
                Labels.baseSnapshot(schedule.name(), source));
        Map<String, String> labels = Labels.baseCopy(schedule.name(), source, snap);
        String id = null;
        try {
            id = cloneOf(snap, copyName, labels);
            VolumeSpecUpdate tier = placement.specFor(haLevel(snap), copyName);
            // the one move of the data to the CI tier, made here rather than for every run
            owned.adoptBaseCopy(id, schedule.name(), snap, labels, tier.isEmpty() ? null : tier);
            String made = id;
            return owned.find(id).orElseThrow(() -> new StorageException(Kind.INTERNAL, "base copy " + copyName
                    + " (" + made + ") vanished right after it was made"));
        } catch (StorageException | RuntimeException e) {
            undo(schedule.name(), id, snap, e);
            throw e;
        }
    }

    /** The proven base copies of {@code name}, newest data first. */
    public List<Volume> baseCopies(String name) throws StorageException {
        List<Volume> proven = new ArrayList<>();
        try {
            for (Messages.InspectResponse r : client.inspectWithFilters(null, Map.of(Labels.CREATED_BY, Labels.SNAPCI,
                    Labels.KIND, Labels.KIND_BASE, Labels.BASE, name))) {
                if (owned.whyNotBaseCopy(r.volume(), name) == null) {
                    proven.add(r.volume());
                }
            }
        } catch (SdkException e) {
            throw Failures.of("listing the base copies of " + name, e);
        }
        proven.sort(Comparator.comparing(Labels::dataTaken, Comparator.nullsLast(Comparator.reverseOrder())));
        return proven;
    }

    /**
     * Keeps the newest {@code keep} base copies of {@code name}; older ones are deleted once no run's clone is made
     * from them, then every snapshot of {@code name} nothing is made from any more.
     */
    private List<String> retain(String name, int keep) throws StorageException {
        List<String> log = new ArrayList<>();
        List<Volume> copies = baseCopies(name);
        for (int i = keep; i < copies.size(); i++) {
            Volume copy = copies.get(i);
            try {
                if (owned.deleteBaseCopy(copy.id(), name)) {
                    audit.deleted(name, sourcesOf(copy), copy.name(), keep == 0 ? "retention: its schedule is no "
                            + "longer configured" : "retention: beyond keep " + keep);
                    log.add("retention of base copies " + name + " deleted " + copy.name());
                } else {
                    log.add("retention of base copies " + name + " keeps " + copy.name() + ": volumes are made"
                            + " from it");
                }
            } catch (StorageException e) {
                // attached (someone mounted it), or Portworx failing: kept, tried again next tick
                log.add("retention of base copies " + name + " could not delete " + copy.name() + ": "
                        + e.getMessage());
            }
        }
        for (Volume snap : snapshots.owned(Map.of(Labels.BASE, name))) {
            try {
                if (owned.deleteSnapshot(snap.id(), null)) { // kept while its base copy (or anything) is made from it
                    audit.deleted(name, sourcesOf(snap), snap.name(), "retention: no base copy is made from it");
                    log.add("retention of base copies " + name + " deleted " + snap.name());
                }
            } catch (StorageException e) {
                log.add("retention of base copies " + name + " could not delete " + snap.name() + ": "
                        + e.getMessage());
            }
        }
        return log;
    }

    /** Names of every base copy schedule that has base copies or base snapshots in Portworx. */
    private Set<String> baseNames() throws StorageException {
        try {
            return client.inspectWithFilters(null, Map.of(Labels.CREATED_BY, Labels.SNAPCI)).stream()
                    .map(r -> r.volume().labels().get(Labels.BASE)).filter(n -> n != null)
                    .collect(Collectors.toSet());
        } catch (SdkException e) {
            throw Failures.of("listing base copies", e);
        }
    }

    private String cloneOf(Volume snap, String name, Map<String, String> labels) throws StorageException {
        try {
            return client.clone(name, snap.id(), Labels.replacing(labels));
        } catch (SdkException e) {
            if (e.isTransient()) {
                try {
                    for (Messages.InspectResponse r : client.inspectWithFilters(name, null)) {
                        if (name.equals(r.volume().name()) && snap.id().equals(r.volume().parent())) {
                            return r.volume().id();
                        }
                    }
                } catch (SdkException ignored) {
                    // reported below
                }
            }
            throw Failures.of("cloning " + snap.describe() + " to the base copy " + name, e);
        }
    }

    /** After a failed refresh: the base copy (if proven or made from our snapshot), then the snapshot. */
    private void undo(String name, String id, Volume snap, Exception failure) {
        try {
            if (id != null) {
                Optional<Volume> copy = owned.find(id);
                if (copy.isPresent() && owned.whyNotBaseCopy(copy.get(), name) != null) {
                    owned.adoptBaseCopy(id, name, snap, Labels.baseCopy(name, sourceOf(snap), snap), null);
                }
                owned.deleteBaseCopy(id, name);
            }
            owned.deleteSnapshot(snap.id(), null);
        } catch (StorageException | RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    /** The production volume a base copy or base snapshot was made of, by name (its labels say; none: unknown). */
    private static List<String> sourcesOf(Volume volume) {
        String name = volume.labels().get(Labels.SOURCE_NAME);
        return name == null ? List.of() : List.of(name);
    }

    private static Volume sourceOf(Volume snap) {
        return new Volume(snap.labels().get(Labels.SOURCE), null, false, new io.snapci.scheduler.portworx.sdk
                .VolumeLocator(snap.labels().get(Labels.SOURCE_NAME), Map.of()), null, null, null, null, null);
    }

    private static Instant aligned(BaseCopySchedule schedule, Instant now) {
        long every = schedule.every().getSeconds();
        return Instant.ofEpochSecond(now.getEpochSecond() / every * every);
    }

    private static long haLevel(Volume v) {
        return v.spec() == null || v.spec().haLevel() == null ? 1 : v.spec().haLevel();
    }

    /** Ticks every {@code interval} on a daemon thread, reporting to {@code log}. */
    public synchronized void startPeriodic(Duration interval, Consumer<String> log) {
        if (timer != null) {
            throw new IllegalStateException("base copies are already being refreshed");
        }
        timer = PeriodicTask.start("snapci-base-copies", interval, () -> tick().forEach(log),
                e -> log.accept("base copies: tick failed: " + e));
    }

    @Override
    public synchronized void close() {
        if (timer != null) {
            timer.close();
            timer = null;
        }
    }
}
