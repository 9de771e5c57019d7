package io.snapci.scheduler.portworx;

import io.snapci.scheduler.core.storage.StorageException;

import java.time.Duration;

/**
 * A CI-tier base copy of one source, refreshed on a schedule: every {@code every} a snapshot of the source is cloned
 * into a base copy whose replicas are moved to the CI tier once; runs whose {@code maxAge} allows clone the newest
 * base copy instead of copying production's data for themselves. The newest {@code keep} base copies are kept (older
 * ones go once no run's clone is made from them).
 *
 * @param name         names the base copies ({@code snapci-base-<name>-<epoch>}); letters, digits and dashes
 * @param sourceVolume the production volume
 * @param every        how often the base copy is refreshed; a run asking for data younger than this may not find one
 * @param keep         how many base copies to keep, at least 1
 */
public record BaseCopySchedule(String name, String sourceVolume, Duration every, int keep) {

    public BaseCopySchedule {
        try {
            VolumeNames.checkToken("base copy schedule name", name);
        } catch (StorageException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        if (sourceVolume == null || sourceVolume.isBlank()) {
            throw new IllegalArgumentException("base copy schedule " + name + " needs a source volume");
        }
        if (every == null || every.compareTo(Duration.ofMinutes(1)) < 0) {
            throw new IllegalArgumentException("base copy schedule " + name + " must refresh at most once a minute");
        }
        if (keep < 1) {
            throw new IllegalArgumentException("base copy schedule " + name + " must keep at least one base copy");
        }
    }
}
