package io.snapci.scheduler.portworx;

import io.snapci.scheduler.portworx.sdk.SdkConfig;

import java.time.Duration;
import java.util.regex.Pattern;

/**
 * Everything the Portworx driver needs to know.
 *
 * @param sdk                  where the OpenStorage SDK gateway is, token, CA, timeouts, retries
 * @param tier                 how clones are placed on the CI tier
 * @param namePrefix           the prefix of every volume snapci names (default {@code snapci})
 * @param emptyVolumeBytes     size of the empty volume a run without a source gets
 * @param snapshotCapPerVolume Portworx's limit of snapshots per volume; schedules must keep well under it
 * @param gcGrace              how long a clone or snapshot of a finished or unknown run is left before GC deletes it
 */
public record PortworxConfig(SdkConfig sdk, CiTier tier, String namePrefix, long emptyVolumeBytes,
                             int snapshotCapPerVolume, Duration gcGrace) {

    private static final Pattern PREFIX = Pattern.compile("[a-z][a-z0-9-]{0,19}");

    public PortworxConfig {
        if (sdk == null) {
            throw new IllegalArgumentException("the Portworx driver needs the SDK endpoint (e.g. https://portworx-api:9021)");
        }
        tier = tier == null ? CiTier.defaults() : tier;
        namePrefix = namePrefix == null ? "snapci" : namePrefix;
        if (!PREFIX.matcher(namePrefix).matches()) {
            throw new IllegalArgumentException("volume name prefix '" + namePrefix + "' must be 1-20 lower-case letters,"
                    + " digits or dashes, starting with a letter");
        }
        emptyVolumeBytes = emptyVolumeBytes <= 0 ? 10L << 30 : emptyVolumeBytes;
        snapshotCapPerVolume = snapshotCapPerVolume <= 0 ? 64 : snapshotCapPerVolume;
        gcGrace = gcGrace == null ? Duration.ofHours(1) : gcGrace;
        if (gcGrace.isNegative()) {
            throw new IllegalArgumentException("the GC grace period must not be negative");
        }
    }

    /** Defaults for an SDK endpoint: low-priority clones, prefix snapci, 10 GiB empty volumes, cap 64, 1 h grace. */
    public static PortworxConfig of(SdkConfig sdk) {
        return new PortworxConfig(sdk, null, null, 0, 0, null);
    }

    public PortworxConfig withTier(CiTier newTier) {
        return new PortworxConfig(sdk, newTier, namePrefix, emptyVolumeBytes, snapshotCapPerVolume, gcGrace);
    }

    public PortworxConfig withGcGrace(Duration grace) {
        return new PortworxConfig(sdk, tier, namePrefix, emptyVolumeBytes, snapshotCapPerVolume, grace);
    }

    public PortworxConfig withSnapshotCap(int cap) {
        return new PortworxConfig(sdk, tier, namePrefix, emptyVolumeBytes, cap, gcGrace);
    }
}
