package io.snapci.scheduler.local.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Whether the copies from a source into the clone root can be reflinks, asked once per copy. The trial is a
 * {@code cp --reflink=always} process (Java has no reflink call), 15–25 ms from a cold cache; a filesystem without
 * reflinks (ext4, tmpfs: most machines) does not grow them while it is mounted, so a "no" is remembered for that pair
 * of filesystems (by device number: another filesystem mounted at the same place is another device) and the trial is
 * not run again. A "yes" is not remembered: it is asked again, so a change can only make copies slower, never fail
 * them. A "no" whose sample vanished meanwhile (a commit log segment recycled by a running node) may not be the
 * filesystem's answer, so it is not remembered either.
 */
final class ReflinkProbe {

    /** One trial copy of {@code sample} into {@code scratchDir}, leaving nothing behind. */
    interface Trial {
        boolean works(Path sample, Path scratchDir);
    }

    private final Trial trial;
    private final Set<List<Object>> withoutReflinks = ConcurrentHashMap.newKeySet();

    ReflinkProbe() {
        this(FileTransfer::reflinkWorks);
    }

    ReflinkProbe(Trial trial) {
        this.trial = trial;
    }

    boolean works(Path sample, Path scratchDir) {
        Optional<List<Object>> filesystems = devices(sample, scratchDir);
        if (filesystems.isPresent() && withoutReflinks.contains(filesystems.get())) {
            return false;
        }
        boolean works = trial.works(sample, scratchDir);
        if (!works && filesystems.isPresent() && Files.exists(sample)) {
            withoutReflinks.add(filesystems.get());
        }
        return works;
    }

    /** The device numbers of the two paths' filesystems; empty where the platform does not say (always tried). */
    private static Optional<List<Object>> devices(Path sample, Path scratchDir) {
        try {
            return Optional.of(List.of(Files.getAttribute(sample, "unix:dev"),
                    Files.getAttribute(scratchDir, "unix:dev")));
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
