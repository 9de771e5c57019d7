package io.snapci.scheduler.core.run;

import io.snapci.model.ExecutionResult;
import io.snapci.model.Phase;
import io.snapci.model.Placement;
import io.snapci.model.RunSpec;
import io.snapci.model.RunStatus;
import io.snapci.scheduler.core.launch.LaunchListener;
import io.snapci.scheduler.core.launch.Launcher;
import io.snapci.scheduler.core.state.RunStore;
import io.snapci.scheduler.core.storage.Clone;
import io.snapci.scheduler.core.storage.SnapshotDriver;
import io.snapci.scheduler.core.storage.SourceCheck;
import io.snapci.scheduler.core.storage.SourcePolicy;
import io.snapci.scheduler.core.storage.StorageException;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * The run state machine: QUEUED → SNAPSHOTTING → PLACING → STARTING_CASSANDRA → TESTING → PASSED | FAILED, with
 * ERROR and CANCELLED reachable from every phase that is not terminal. It knows nothing of Mesos or Portworx: it
 * asks a {@link SnapshotDriver} for a copy, a {@link Launcher} to run on it, and a {@link RunStore} to remember.
 *
 * <p>Its one promise: every run that reaches a terminal phase has had its copy deleted first ({@code cleanedUp}),
 * or says in its message which copy is left and why.
 */
public final class RunService {

    private static final int DELETE_ATTEMPTS = 3;

    private final SnapshotDriver driver;
    private final Launcher launcher;
    private final RunStore store;
    private final Clock clock;
    private final RunIds ids;
    private final Consumer<RuntimeException> storeFailed;
    private final SourceCheck sourceCheck;
    private final SourcePolicy sourcePolicy;
    private final List<RunObserver> observers = new CopyOnWriteArrayList<>();
    private final Map<String, ActiveRun> active = new ConcurrentHashMap<>();

    public RunService(SnapshotDriver driver, Launcher launcher, RunStore store, Clock clock) {
        this(driver, launcher, store, clock, e -> { });
    }

    /**
     * @param storeFailed told when a run's new state could not be stored, before the failure goes on up to whoever
     *                    changed the state (in a cluster: the process ends, and the status update behind the change
     *                    is not acknowledged, so the master sends it again to the next process)
     */
    public RunService(SnapshotDriver driver, Launcher launcher, RunStore store, Clock clock,
                      Consumer<RuntimeException> storeFailed) {
        this(driver, launcher, store, clock, storeFailed, SourceCheck.NONE);
    }

    /** @param sourceCheck what is checked of a source before it is copied (its Cassandra version, locally) */
    public RunService(SnapshotDriver driver, Launcher launcher, RunStore store, Clock clock,
                      Consumer<RuntimeException> storeFailed, SourceCheck sourceCheck) {
        this(driver, launcher, store, clock, storeFailed, sourceCheck, SourcePolicy.OPEN);
    }

    /**
     * @param sourcePolicy what the operator requires of a run before its source's nodes, known by name (a selector
     *                     resolved), are copied: the masking a volume requires
     */
    public RunService(SnapshotDriver driver, Launcher launcher, RunStore store, Clock clock,
                      Consumer<RuntimeException> storeFailed, SourceCheck sourceCheck, SourcePolicy sourcePolicy) {
        this.sourceCheck = sourceCheck;
        this.sourcePolicy = sourcePolicy;
        this.driver = driver;
        this.launcher = launcher;
        this.store = store;
        this.clock = clock;
        this.ids = new RunIds(clock);
        this.storeFailed = storeFailed;
    }

    public void addObserver(RunObserver observer) {
        observers.add(observer);
    }

    public void removeObserver(RunObserver observer) {
        observers.remove(observer);
    }

    /** Records a new run, QUEUED. */
    public RunStatus submit(RunSpec spec) {
        RunStatus run = RunStatus.queued(ids.next(), spec, clock.instant());
        store.save(run);
        observers.forEach(o -> o.onStatus(run));
        return run;
    }

    public RunStatus get(String runId) {
        return store.find(runId).orElseThrow(() -> new NoSuchElementException("no run " + runId));
    }

    /** Drives a QUEUED (or resumed) run to its end on {@code thread}; returns how it ends. */
    public CompletableFuture<RunStatus> start(String runId, Executor thread) {
        return CompletableFuture.supplyAsync(() -> execute(runId), thread);
    }

    /**
     * Drives a run to its end on this thread and returns its final status: a QUEUED run from its copy on, or a run
     * {@link #resume() taken over} after a restart from where it was.
     */
    public RunStatus execute(String runId) {
        ActiveRun run;
        // Under the same lock as cancel(): a cancel that finds the run not yet active marks the stored QUEUED run
        // CANCELLED, and must not race with this check and overwrite it.
        synchronized (active) {
            ActiveRun resumed = active.get(runId);
            if (resumed != null && resumed.resumption != null && !resumed.executing) {
                resumed.executing = true;
                run = resumed;
            } else {
                RunStatus queued = get(runId);
                if (queued.phase() != Phase.QUEUED) {
                    throw new IllegalStateException("run " + runId + " is " + queued.phase() + ", not QUEUED");
                }
                run = new ActiveRun(queued);
                if (active.putIfAbsent(runId, run) != null) {
                    throw new IllegalStateException("run " + runId + " is already being executed");
                }
                run.executing = true;
            }
        }
        try {
            return run.resumption != null ? run.resumption.get() : drive(run);
        } finally {
            active.remove(runId);
        }
    }

    /**
     * After a scheduler restart: takes over every stored run that had begun and not ended, and returns their ids for
     * the caller to {@link #execute} on threads of its choosing (serve's dispatcher counts them against its limit).
     * A placed run is handed back to the launcher here, on the caller's thread, so the launcher knows it before the
     * scheduler subscribes (it asks the cluster about its tasks rather than launching them twice, and would kill
     * tasks of runs it does not know). A run caught making its copy makes it again when executed (the half-made one is
     * deleted first). QUEUED runs are left where they are: starting them is the dispatcher's call.
     */
    public List<String> resume() {
        return resumeAll().resumed();
    }

    /**
     * What {@link #resume()} does, and the QUEUED runs too, from one reading of the store (a restarted scheduler
     * reads each stored run once, not once for each question).
     *
     * @param resumed the runs taken over, to execute
     * @param queued  the runs still QUEUED, to execute once the taken-over ones are under way
     */
    public record Resumption(List<String> resumed, List<String> queued) {
    }

    /** {@link #resume()}, and the ids of the QUEUED runs, oldest first. */
    public Resumption resumeAll() {
        List<String> resumed = new ArrayList<>();
        List<String> queued = new ArrayList<>();
        for (RunStatus stored : store.unfinished()) {
            if (stored.phase() == Phase.QUEUED) {
                queued.add(stored.id());
                continue;
            }
            if (stored.phase().isTerminal()) {
                continue;
            }
            ActiveRun run = new ActiveRun(stored);
            if (active.putIfAbsent(stored.id(), run) != null) {
                continue;  // executing here already
            }
            progress(run.id(), "snapci restarted; taking the run over in " + stored.phase());
            run.resumption = stored.phase() == Phase.SNAPSHOTTING ? () -> copyAgain(run) : takeOver(run);
            resumed.add(stored.id());
        }
        return new Resumption(resumed, queued);
    }

    /** The copy was being made when snapci stopped: delete what there is of it and make it again. */
    private RunStatus copyAgain(ActiveRun run) {
        try {
            for (Clone leftover : clonesOf(run.id())) {
                driver.deleteClone(leftover);
            }
        } catch (StorageException e) {
            return finish(run, null, Phase.ERROR, "snapci restarted while the copy was being made and could not "
                    + "delete the half-made copy: " + e.getMessage());
        }
        return drive(run);
    }

    /**
     * The run was placed when snapci stopped: finds its copy and hands the run to the launcher now, which finds its
     * tasks. Returns what is left to do: wait for the execution's end and finish the run.
     */
    private Supplier<RunStatus> takeOver(ActiveRun run) {
        List<Clone> clones;
        try {
            clones = clonesOf(run.id());
        } catch (StorageException e) {
            return () -> finish(run, null, Phase.ERROR, "snapci restarted and could not list the copies to find this "
                    + "run's: " + e.getMessage());
        }
        if (clones.isEmpty()) {
            return () -> finish(run, null, Phase.ERROR, "snapci restarted and this run's copy "
                    + run.status().cloneId() + " is gone, so the run cannot go on. Run it again.");
        }
        Clone clone = clones.get(0);
        CompletableFuture<ExecutionResult> execution = launcher.adopt(run.status(), clone, new RunListener(run, clone));
        return () -> {
            if (run.cancelled) {
                launcher.cancel(run.id()); // cancelled while being handed back: see drive()
            }
            return finish(run, clone, awaitResult(run, execution));
        };
    }

    private List<Clone> clonesOf(String runId) throws StorageException {
        return driver.listClones().stream().filter(c -> runId.equals(c.runId())).toList();
    }

    /** Asks a run to stop. A run that is not executing here and not yet ended is marked CANCELLED directly. */
    public void cancel(String runId) {
        ActiveRun run;
        synchronized (active) {
            run = active.get(runId);
            if (run == null) {
                RunStatus stored = get(runId);
                if (stored.phase() == Phase.QUEUED) {
                    save(stored.withPhase(Phase.CANCELLED, "cancelled before it started", clock.instant())
                            .withCleanedUp(true));
                }
                return;
            }
        }
        run.cancelled = true;
        launcher.cancel(runId);
    }

    /** Makes the copy (unless a resumed run is past that) and launches the run on it, to its end. */
    private RunStatus drive(ActiveRun run) {
        Clone clone = null;
        ExecutionResult result;
        try {
            RunSpec spec = run.status().spec();
            if (run.status().phase() == Phase.QUEUED) {
                run.move(Phase.SNAPSHOTTING, spec.hasSource() ? "copying " + spec.source().describe()
                        : "no source: an empty Cassandra for the tests' own fixtures");
            }
            if (run.status().cloneId() == null) {
                String version = sourceCheck.check(spec);
                if (version != null) {
                    run.update(s -> s.withCassandraVersion(version));
                    progress(run.id(), version);
                }
            }
            clone = driver.createClone(run.id(), spec.source(), sourcePolicy.gateFor(spec));
            Clone made = clone;
            Instant dataTakenAt = spec.hasSource() ? made.dataTakenAt() : null;  // an empty copy holds no data of anyone's
            run.update(s -> s.withClone(made.id(), made.description()).withSnapshotSpread(made.snapshotSpreadMillis())
                    .withDataTakenAt(dataTakenAt));
            progress(run.id(), "copy ready: " + made.description());
            if (run.cancelled) {
                throw new Cancelled("cancelled while the copy was made");
            }
            run.move(Phase.PLACING, "placing the run");
            CompletableFuture<ExecutionResult> launched = launcher.launch(run.status(), clone,
                    new RunListener(run, clone));
            if (run.cancelled) {
                // A cancel that came after the check above but before the launcher knew the run found nothing to
                // stop there (cancel() sets the flag first, then asks the launcher): stop it now that it knows.
                launcher.cancel(run.id());
            }
            result = awaitResult(run, launched);
        } catch (StorageException e) {
            result = run.cancelled ? ExecutionResult.cancelled(e.getMessage()) : ExecutionResult.error(e.getMessage());
        } catch (Cancelled e) {
            result = ExecutionResult.cancelled(e.getMessage());
        } catch (RuntimeException e) {
            result = ExecutionResult.error("snapci failed unexpectedly: " + e + ". Please report it with the run id "
                    + run.id() + ".");
        }
        return finish(run, clone, result);
    }

    private RunStatus finish(ActiveRun run, Clone clone, ExecutionResult result) {
        run.update(s -> s.withTestResult(result.testExitCode(), result.tests()));
        Phase outcome = run.cancelled && result.outcome() != Phase.PASSED && result.outcome() != Phase.FAILED
                ? Phase.CANCELLED : result.outcome();
        return finish(run, clone, outcome, result.message());
    }

    /**
     * Waits for the execution, no longer than the run's deadline counted from when it was first placed (so a run
     * taken over after a restart, or retried on another agent, does not get a fresh deadline).
     */
    private ExecutionResult awaitResult(ActiveRun run, CompletableFuture<ExecutionResult> launched) {
        Instant placedAt = run.status().history().stream().filter(c -> c.phase() == Phase.PLACING)
                .map(RunStatus.PhaseChange::at).findFirst().orElseGet(clock::instant);
        Instant deadline = placedAt.plus(run.status().spec().timeouts().run());
        long deadlineMillis = Math.max(0, Duration.between(clock.instant(), deadline).toMillis());
        try {
            return launched.get(deadlineMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            launcher.cancel(run.id());
            launched.join();
            return ExecutionResult.error("The run passed its deadline of " + run.status().spec().timeouts().run()
                    .toMinutes() + " min and was stopped. Raise the run timeout or make the tests faster.");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            run.cancelled = true;
            launcher.cancel(run.id());
            return launched.join();
        } catch (ExecutionException e) {
            throw new IllegalStateException("the launcher failed: " + e.getCause(), e.getCause());
        }
    }

    /** Deletes the copy, then records the terminal phase, so that no ended run still owns a copy unawares. */
    private RunStatus finish(ActiveRun run, Clone clone, Phase outcome, String message) {
        // Kept in the record (not a phase: the outcome is recorded only once the copy is gone), so that the run's
        // timeline can show the cleanup apart from the tests.
        run.update(s -> s.withCleanupStarted(clock.instant()));
        String cleanupProblem = clone == null ? null : deleteClone(clone);
        String finalMessage = cleanupProblem == null ? message : message + " " + cleanupProblem;
        if (cleanupProblem == null && clone != null) {
            progress(run.id(), "cleaned up: copy deleted");
        }
        Phase from = run.status().phase();
        boolean allowed = from.canMoveTo(outcome);
        Phase terminal = allowed ? outcome : Phase.ERROR;
        // An outcome the state machine does not allow from here (a PASSED never seen TESTING) is snapci's own
        // mistake: the run is an error that says so, not one that reads "Tests passed."
        String recorded = allowed ? finalMessage : "snapci reached " + outcome + " (" + finalMessage + ") from "
                + from + ", which cannot lead there; the run is an error. Please report it with the run id " + run.id()
                + ".";
        run.update(s -> s.withPhase(terminal, recorded, clock.instant()).withCleanedUp(cleanupProblem == null));
        return run.status();
    }

    private String deleteClone(Clone clone) {
        StorageException last = null;
        for (int attempt = 1; attempt <= DELETE_ATTEMPTS; attempt++) {
            try {
                driver.deleteClone(clone);
                return null;
            } catch (StorageException e) {
                last = e;
            }
        }
        return "The copy " + clone.id() + " could not be deleted (" + last.getMessage()
                + "); it will be retried when snapci starts next, or delete it by hand.";
    }

    private void progress(String runId, String note) {
        observers.forEach(o -> o.onProgress(runId, note));
    }

    private void save(RunStatus status) {
        try {
            store.save(status);
        } catch (RuntimeException e) {
            storeFailed.accept(e);
            throw e;
        }
        observers.forEach(o -> o.onStatus(status));
    }

    /** A run being executed: its latest status, changed only under its lock, and whether it was cancelled. */
    private final class ActiveRun {
        private RunStatus status;
        private volatile boolean cancelled;
        /** For a run taken over after a restart: what is left to do when it is executed. Guarded by {@code active}. */
        private Supplier<RunStatus> resumption;
        /** Whether a thread drives it already. Guarded by {@code active}. */
        private boolean executing;

        ActiveRun(RunStatus status) {
            this.status = status;
        }

        String id() {
            return status.id();
        }

        synchronized RunStatus status() {
            return status;
        }

        synchronized void update(UnaryOperator<RunStatus> change) {
            status = change.apply(status);
            save(status);
        }

        void move(Phase next, String note) {
            update(s -> s.withPhase(next, note, clock.instant()));
        }
    }

    /** Turns what a launched execution reports into phase changes and observer calls. */
    private final class RunListener implements LaunchListener {
        private final ActiveRun run;
        private final Clone clone;

        RunListener(ActiveRun run, Clone clone) {
            this.run = run;
            this.clone = clone;
        }

        @Override
        public void onNewAttempt(int attempt) {
            try {
                driver.releaseForAnotherNode(clone);
                progress(run.id(), "attempt " + attempt + ": the copy was released from the lost machine");
            } catch (StorageException | RuntimeException e) {
                // The next attempt still goes out: its mount fails if the copy is still held, and that attempt is
                // an infrastructure error the user sees with this reason.
                progress(run.id(), "attempt " + attempt + ": could not release the copy from the lost machine ("
                        + e.getMessage() + ")");
            }
        }

        @Override
        public void onPlaced(Placement where) {
            run.update(s -> s.withPlacement(where));
            progress(run.id(), "placed on " + where.describe());
        }

        @Override
        public void onPhase(Phase phase, String note) {
            run.update(s -> s.phase().canMoveTo(phase) ? s.withPhase(phase, note, clock.instant()) : s);
        }

        @Override
        public void onProgress(String note) {
            progress(run.id(), note);
        }

        @Override
        public void onCassandraReady(long millis) {
            run.update(s -> s.withCassandraReady(millis));
        }

        @Override
        public void onTestOutput(String line, boolean stderr) {
            observers.forEach(o -> o.onTestOutput(run.id(), line, stderr));
        }
    }

    private static final class Cancelled extends RuntimeException {
        Cancelled(String message) {
            super(message);
        }
    }
}
