package io.snapci.server.runs;

import io.snapci.model.RunSpec;
import io.snapci.model.RunStatus;
import io.snapci.scheduler.core.process.Threads;
import io.snapci.scheduler.core.run.RunService;
import io.snapci.server.ApiProblem;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Executes submitted runs with bounded concurrency: at most {@code maxConcurrent} at once, at most
 * {@code maxQueued} more waiting in QUEUED (past that a submission is refused, and nothing is recorded). A run is
 * claimed ({@link RunBackend#claim}) from submission to its end.
 */
public final class RunDispatcher {

    private final RunService service;
    private final RunBackend backend;
    private final int maxConcurrent;
    private final int maxQueued;
    private final Consumer<String> log;
    private final ExecutorService workers;
    private final Set<String> waiting = new LinkedHashSet<>();
    private final Set<String> running = new LinkedHashSet<>();
    private final Map<String, AutoCloseable> claims = new ConcurrentHashMap<>();
    private boolean accepting = true;
    private Leadership leadership = Leadership.ALWAYS;

    public RunDispatcher(RunBackend backend, int maxConcurrent, int maxQueued, Consumer<String> log) {
        this.backend = backend;
        this.service = backend.service();
        this.maxConcurrent = maxConcurrent;
        this.maxQueued = maxQueued;
        this.log = log;
        this.workers = Executors.newFixedThreadPool(maxConcurrent, Threads.daemon("snapci-run"));
    }

    /** Until {@code leadership} is acquired, submissions are refused: another process executes the runs. */
    public synchronized void followLeadership(Leadership leadership) {
        this.leadership = leadership;
    }

    /**
     * Records the run QUEUED and queues it; refused (nothing recorded) when the queue is full, serve stops, or this
     * process is a standby.
     */
    public synchronized RunStatus submit(RunSpec spec) {
        if (!accepting) {
            throw ApiProblem.unavailable("snapci is shutting down and takes no new runs; submit again in a moment");
        }
        if (!leadership.isLeader()) {
            throw ApiProblem.unavailable("this snapci is a standby" + leadership.leader().map(l -> " (the leader is "
                    + l + ")").orElse("") + ": submit to the service's address, which reaches the leader, or again "
                    + "in a moment if the leader is changing");
        }
        if (waiting.size() + running.size() >= maxConcurrent + maxQueued) {
            throw ApiProblem.busy(running.size() + " runs are executing and " + waiting.size() + " waiting, the "
                    + "most this server takes (runs.maxConcurrent=" + maxConcurrent + ", runs.maxQueued=" + maxQueued
                    + "). Retry later.");
        }
        RunStatus queued = service.submit(spec);
        enqueue(queued.id());
        return queued;
    }

    /** Queues a run already recorded QUEUED (one taken over at start). */
    public synchronized void enqueue(String runId) {
        claims.put(runId, backend.claim(runId));
        waiting.add(runId);
        workers.execute(() -> work(runId));
    }

    private void work(String runId) {
        synchronized (this) {
            if (!waiting.remove(runId)) {
                return;  // cancelled while it waited
            }
            running.add(runId);
        }
        try {
            service.execute(runId);
        } catch (IllegalStateException e) {
            log.accept("run " + runId + " was not executed: " + e.getMessage());
        } catch (RuntimeException e) {
            log.accept("run " + runId + " failed unexpectedly: " + e);
        } finally {
            synchronized (this) {
                running.remove(runId);
            }
            release(runId);
        }
    }

    /** Cancels a waiting run at once, or asks an executing one to stop (it ends CANCELLED once cleaned up). */
    public void cancel(String runId) {
        boolean wasWaiting;
        synchronized (this) {
            wasWaiting = waiting.remove(runId);
        }
        service.cancel(runId);
        if (wasWaiting) {
            release(runId);
        }
    }

    private void release(String runId) {
        AutoCloseable claim = claims.remove(runId);
        if (claim != null) {
            try {
                claim.close();
            } catch (Exception e) {
                log.accept("could not release run " + runId + ": " + e.getMessage());
            }
        }
    }

    public synchronized int waitingCount() {
        return waiting.size();
    }

    public synchronized int runningCount() {
        return running.size();
    }

    public synchronized boolean isAccepting() {
        return accepting;
    }

    /**
     * Takes no more runs. If {@code cancelRuns}, cancels the waiting and executing runs and waits (at most
     * {@code timeout}) until they have cleaned up; otherwise leaves them as they are, for the next process.
     * Returns the runs that had not ended in time.
     */
    public List<String> shutdown(boolean cancelRuns, Duration timeout) {
        List<String> toCancel;
        synchronized (this) {
            accepting = false;
            toCancel = new ArrayList<>(waiting);
            toCancel.addAll(running);
        }
        if (cancelRuns) {
            toCancel.forEach(this::cancel);
        }
        workers.shutdown();
        // Runs left to the cluster are not interrupted: an interrupted run cancels itself. Their daemon threads end
        // with the process, and the next process takes the runs over from the store.
        if (cancelRuns) {
            try {
                if (!workers.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    workers.shutdownNow();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (this) {
            return new ArrayList<>(running);
        }
    }
}
