package io.snapci.scheduler.local;

import io.snapci.executor.RunProcesses;
import io.snapci.executor.cassandra.CassandraRuntime;
import io.snapci.scheduler.local.launch.AbandonedRuns;
import io.snapci.scheduler.local.launch.LocalLauncher;
import io.snapci.scheduler.local.launch.RunLocks;
import io.snapci.scheduler.core.run.RunService;
import io.snapci.scheduler.local.state.FileRunStore;
import io.snapci.scheduler.core.storage.SnapshotDriver;
import io.snapci.scheduler.core.storage.StorageException;
import io.snapci.scheduler.local.storage.DiskSpace;
import io.snapci.scheduler.local.storage.FilterSharing;
import io.snapci.scheduler.local.storage.LocalDirectoryDriver;
import io.snapci.scheduler.local.storage.LocalVersionCheck;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The embedded default, all on one machine under one work root:
 * {@code clones/} (the copies), {@code runs/} (each run's logs, Cassandra configuration, merged JUnit XML) and
 * {@code state/runs/} (the run records) and {@code locks/} (which runs a live process owns).
 */
public final class LocalMode {

    private final Path workRoot;
    private final LocalDirectoryDriver driver;
    private final LocalLauncher launcher;
    private final FileRunStore store;
    private final RunLocks locks;
    private final RunService service;
    private final Clock clock;

    public LocalMode(Path workRoot, CassandraRuntime runtime, Path defaultWorkDir, Clock clock) {
        this(workRoot, runtime, defaultWorkDir, clock, UnaryOperator.identity());
    }

    /**
     * @param driverView wraps the driver the run service makes its copies with, for a caller that wants to see
     *                   each copy made (snapci serve records when each copy's data was taken, for its metrics)
     */
    public LocalMode(Path workRoot, CassandraRuntime runtime, Path defaultWorkDir, Clock clock,
                     UnaryOperator<SnapshotDriver> driverView) {
        this.workRoot = workRoot.toAbsolutePath().normalize();
        // The copies' filter verdicts outlive the process: the next snapci run on this work root proves only what
        // is new.
        this.driver = new LocalDirectoryDriver(this.workRoot.resolve("clones"), DiskSpace.fileStores(), clock,
                filterSharing(runtime), this.workRoot.resolve("state").resolve("filter-verdicts.json"));
        // One class-data archive per runtime and JDK for all of this work root's runs (ClassArchive).
        CassandraRuntime archiving = runtime.classArchives() == null
                ? runtime.withClassArchives(this.workRoot.resolve("class-archives")) : runtime;
        this.launcher = new LocalLauncher(this.workRoot.resolve("runs"), archiving, defaultWorkDir);
        this.store = new FileRunStore(this.workRoot.resolve("state").resolve("runs"));
        this.locks = new RunLocks(this.workRoot.resolve("locks"));
        this.service = new RunService(driverView.apply(driver), launcher, store, clock, e -> { },
                new LocalVersionCheck(runtime));
        this.clock = clock;
    }

    /** Bloom filters are linked into copies only when this machine's Cassandra, which boots them, allows it. */
    private static FilterSharing filterSharing(CassandraRuntime runtime) {
        try {
            return FilterSharing.forRelease(runtime.release());
        } catch (IllegalStateException e) {
            return FilterSharing.NEVER; // no Cassandra here: the boot says so, with what to do
        }
    }

    /**
     * Cleans up after snapci processes that died mid-run on this work root: their processes, copies and records.
     * Returns a note per thing cleaned.
     */
    public List<String> cleanUpAbandonedRuns() throws StorageException {
        return new AbandonedRuns(store, driver, locks, new RunProcesses(), clock).cleanUp();
    }

    public RunLocks locks() {
        return locks;
    }

    public Path workRoot() {
        return workRoot;
    }

    public RunService service() {
        return service;
    }

    public LocalLauncher launcher() {
        return launcher;
    }

    public LocalDirectoryDriver driver() {
        return driver;
    }

    public FileRunStore store() {
        return store;
    }
}
