package io.snapci.server.runs;

import io.snapci.scheduler.core.launch.DeclineReasons;
import io.snapci.scheduler.core.schedule.SnapshotCatalog;
import io.snapci.scheduler.core.run.RunService;
import io.snapci.scheduler.core.state.RunStore;

import java.util.List;
import java.util.Optional;

/**
 * What serve needs from the mode it runs in: the run service and its store, the rules for specs, the files of runs,
 * and how runs are owned, taken over and left at shutdown. Chosen by configuration (see the wiring package).
 */
public interface RunBackend extends AutoCloseable {

    /** "local" or "mesos", for /v1/health. */
    String mode();

    RunService service();

    RunStore store();

    /** The audit log, kept with the other state (a file under the work root, ZooKeeper in a cluster). */
    io.snapci.scheduler.core.audit.AuditLog audit();

    SpecRules rules();

    RunFiles files();

    /** When each live run's copy holds data from, for the snapshot-age metric. */
    CloneTimes cloneTimes();

    /** Why offers were declined, in a cluster. */
    Optional<DeclineReasons> declineReasons();

    /** Snapshots and their schedules: a cluster's Portworx snapshots; empty on one machine. */
    default Optional<SnapshotCatalog> snapshots() {
        return Optional.empty();
    }

    /** Whether this process may act on runs: at once on one machine, in a cluster once it holds the leader lock. */
    default Leadership leadership() {
        return Leadership.ALWAYS;
    }

    /**
     * Called once this process leads: cleans up after a previous process and takes its runs over. Returns the runs
     * that are now this process's to execute — those taken over mid-run first, then the QUEUED ones, oldest first —
     * for the dispatcher, which runs them within its limit.
     */
    List<String> takeOver();

    /** Marks the run as owned by this process until the result is closed (so no other process cleans it up). */
    AutoCloseable claim(String runId);

    /**
     * Whether a graceful shutdown cancels the runs still executing (one machine: they die with the process, so they
     * are cancelled and cleaned) or leaves them to the cluster for the next process to take over.
     */
    boolean cancelsRunsOnShutdown();

    @Override
    void close();
}
