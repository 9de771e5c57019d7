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
 * {@code cp --reflink=always} process (Java has no reflink call), 13–24 ms from a cold cache; a filesystem without
 * reflinks (ext4, tmpfs: most machines) does not grow them while it is mounted, so the filesystems' own "no"
 * ({@link FileTransfer.ReflinkTrial#UNSUPPORTED}) is remembered for that pair of filesystems (by device number:
 * another filesystem mounted at the same place is another device) and the trial is not run again. A "yes" is asked
 * again every time, so a change can only make a copy slower, never fail it; so is any other failure (the sample
 * recycled by a running node meanwhile, a full disk), which is not the filesystem's answer.
 */
final class ReflinkProbe {

    /** One trial reflink of {@code sample} into {@code scratchDir}, leaving nothing behind. */
    interface Trial {
        FileTransfer.ReflinkTrial attempt(Path sample, Path scratchDir);
    }

    private final Trial trial;
    private final Set<List<Object>> withoutReflinks = ConcurrentHashMap.newKeySet();

    ReflinkProbe() {
        this(FileTransfer::tryReflink);
    }

    ReflinkProbe(Trial trial) {
        this.trial = trial;
    }

    boolean works(Path sample, Path scratchDir) {
        Optional<List<Object>> filesystems = devices(sample, scratchDir);
        if (filesystems.isPresent() && withoutReflinks.contains(filesystems.get())) {
            return false;
        }
        FileTransfer.ReflinkTrial answer = trial.attempt(sample, scratchDir);
        if (answer == FileTransfer.ReflinkTrial.UNSUPPORTED && filesystems.isPresent()) {
            withoutReflinks.add(filesystems.get());
        }
        return answer == FileTransfer.ReflinkTrial.WORKS;
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
