package io.snapci.server.local;

import io.snapci.server.runs.CloneTimes;
import io.snapci.server.runs.RunBackend;
import io.snapci.server.runs.RunFiles;
import io.snapci.server.runs.SpecRules;

import io.snapci.executor.cassandra.CassandraRuntime;
import io.snapci.model.Phase;
import io.snapci.model.RunStatus;
import io.snapci.scheduler.local.LocalMode;
import io.snapci.scheduler.local.launch.RunLocks;
import io.snapci.scheduler.core.launch.DeclineReasons;
import io.snapci.scheduler.core.run.RunService;
import io.snapci.scheduler.core.state.RunStore;
import io.snapci.scheduler.core.storage.StorageException;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The embedded default: {@link LocalMode} under one work root (directory copies, Cassandra and the tests as child
 * processes, one JSON file per run). Runs are owned through {@link RunLocks}, so a {@code snapci run} sharing the
 * work root never cleans up a run this server executes, and the other way round.
 */
public final class LocalRunBackend implements RunBackend {

    private final LocalMode local;
    private final CloneTimes cloneTimes;
    private final SpecRules rules;
    private final RunFiles files;
    private final Consumer<String> log;
    private final io.snapci.scheduler.core.audit.AuditLog audit;

    public LocalRunBackend(Path workRoot, CassandraRuntime runtime, Path defaultWorkDir, Clock clock,
                           Consumer<String> log) {
        AtomicReference<CloneTimes> times = new AtomicReference<>();
        this.local = new LocalMode(workRoot, runtime, defaultWorkDir, clock, driver -> {
            times.set(new CloneTimes(driver));
            return times.get();
        });
        this.cloneTimes = times.get();
        this.rules = new LocalSpecRules(defaultWorkDir);
        this.files = new LocalRunFiles(local.launcher());
        this.log = log;
        this.audit = new io.snapci.scheduler.local.state.FileAuditLog(workRoot.toAbsolutePath().normalize().resolve("audit"));
    }

    /** The masking hash's key for every run (masking.hashKeyFile); null keeps a random key per run. */
    public void maskWith(String key) {
        local.launcher().maskWith(key);
    }

    @Override
    public String mode() {
        return "local";
    }

    @Override
    public RunService service() {
        return local.service();
    }

    @Override
    public RunStore store() {
        return local.store();
    }

    @Override
    public io.snapci.scheduler.core.audit.AuditLog audit() {
        return audit;
    }

    @Override
    public SpecRules rules() {
        return rules;
    }

    @Override
    public RunFiles files() {
        return files;
    }

    @Override
    public CloneTimes cloneTimes() {
        return cloneTimes;
    }

    @Override
    public Optional<DeclineReasons> declineReasons() {
        return Optional.empty();
    }

    /**
     * Runs that a dead process was executing cannot be taken over on one machine (their processes died with it, or
     * are orphans): {@link LocalMode#cleanUpAbandonedRuns()} kills what is left, deletes their copies and ends them
     * ERROR. The QUEUED runs it leaves (submitted in the last minute) are ours to execute.
     */
    @Override
    public List<String> takeOver() {
        try {
            local.cleanUpAbandonedRuns().forEach(log);
        } catch (StorageException e) {
            log.accept("could not clean up after an earlier process: " + e.getMessage());
        }
        List<String> queued = new ArrayList<>();
        for (RunStatus run : local.store().list()) {
            if (run.phase() == Phase.QUEUED) {
                queued.add(run.id());
            }
        }
        return queued;
    }

    @Override
    public AutoCloseable claim(String runId) {
        return local.locks().hold(runId);
    }

    @Override
    public boolean cancelsRunsOnShutdown() {
        return true;
    }

    @Override
    public void close() {
        // Nothing held beyond the runs, which the dispatcher has ended by now.
    }
}
