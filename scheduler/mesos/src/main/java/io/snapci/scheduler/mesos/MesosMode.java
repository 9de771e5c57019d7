package io.snapci.scheduler.mesos;

import io.snapci.model.RunStatus;
import io.snapci.scheduler.mesos.MesosFramework;
import io.snapci.scheduler.mesos.launch.MesosLaunchConfig;
import io.snapci.scheduler.mesos.launch.MesosLauncher;
import io.snapci.scheduler.mesos.launch.OfferMatcher;
import io.snapci.scheduler.mesos.launch.TaskGroupFactory;
import io.snapci.scheduler.mesos.sandbox.AgentFiles;
import io.snapci.scheduler.mesos.sandbox.SandboxTestsReports;
import io.snapci.scheduler.mesos.transport.Authenticator;
import io.snapci.scheduler.mesos.transport.MesosClientConfig;
import io.snapci.scheduler.mesos.transport.MesosSchedulerClient;
import io.snapci.scheduler.core.run.RunService;
import io.snapci.scheduler.core.state.FrameworkIdStore;
import io.snapci.scheduler.core.state.RunStore;
import io.snapci.scheduler.core.storage.SnapshotDriver;

import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * snapci in a cluster: runs go to Mesos as task groups on agents of the CI tier. This wires the run state machine to
 * the Mesos launcher and the v1 HTTP transport, and keeps two clocks ticking: the launcher's timeouts (repeated
 * reconciliation, repeated kills, stuck staging) every second, and an implicit reconciliation every few minutes
 * (Mesos' reconciliation guide: the scheduler learns of tasks it has forgotten, and kills them).
 *
 * <p>Start order matters after a restart: stored runs are handed back to the launcher first, so that the explicit
 * reconciliation that follows SUBSCRIBED asks about their tasks, and no run is launched twice.
 */
public final class MesosMode implements AutoCloseable {

    /**
     * @param framework                 identity of the framework (name, role, principal, failover timeout)
     * @param client                    where the master is and how the transport retries
     * @param launch                    what the task groups look like
     * @param timing                    the launcher's timeouts
     * @param tickInterval              how often the launcher's timeouts are checked
     * @param implicitReconcileInterval how often the master is asked for every task it knows of ours
     */
    public record Settings(MesosFramework.Settings framework, MesosClientConfig client, MesosLaunchConfig launch,
                           MesosLauncher.Timing timing, Duration tickInterval, Duration implicitReconcileInterval) {

        public static Settings defaults(MesosClientConfig client, MesosLaunchConfig launch) {
            return new Settings(MesosFramework.Settings.defaults(), client, launch, MesosLauncher.Timing.defaults(),
                    Duration.ofSeconds(1), Duration.ofMinutes(10));
        }
    }

    private final Settings settings;
    private final MesosLauncher launcher;
    private final MesosFramework framework;
    private final MesosSchedulerClient client;
    private final RunService service;
    private final ScheduledExecutorService timers;
    private final ExecutorService reportReaders;
    private final CompletableFuture<String> ended = new CompletableFuture<>();
    private final Consumer<String> log;

    public MesosMode(Settings settings, Authenticator authenticator, SnapshotDriver driver, OfferMatcher matcher,
                     RunStore store, FrameworkIdStore frameworkIds, Clock clock, Consumer<String> log) {
        this.settings = settings;
        this.log = log;
        // The launcher and framework need the client to send calls, the client needs the framework to hear events:
        // the holder breaks the cycle, and is filled before anything can be sent.
        ClientHolder holder = new ClientHolder();
        this.reportReaders = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "snapci-sandbox-reader");
            t.setDaemon(true);
            return t;
        });
        AgentFiles agentFiles = new AgentFiles(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build(),
                authenticator, Duration.ofSeconds(10));
        this.launcher = new MesosLauncher(call -> holder.client.send(call), matcher,
                new TaskGroupFactory(settings.launch()), frameworkIds, clock, log, settings.timing(),
                new SandboxTestsReports(agentFiles, reportReaders, log));
        this.framework = new MesosFramework(settings.framework(), frameworkIds, launcher, call -> {
            try {
                holder.client.send(call);
            } catch (Exception e) {
                log.accept(call.getType() + " failed: " + e.getMessage());
            }
        }, log, ended::complete);
        this.client = new MesosSchedulerClient(settings.client(), framework::frameworkInfo, authenticator, framework);
        holder.client = client;
        this.service = new RunService(driver, launcher, store, clock);
        this.timers = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "snapci-mesos-timers");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Takes over the runs a previous process left, subscribes to the master, and starts the timers. Returns how each
     * taken-over run ends.
     */
    public Map<String, CompletableFuture<RunStatus>> start() {
        Map<String, CompletableFuture<RunStatus>> resumed = service.resume();
        awaitTakenOver(resumed);
        client.start();
        long tick = settings.tickInterval().toMillis();
        timers.scheduleWithFixedDelay(guarded(launcher::tick), tick, tick, TimeUnit.MILLISECONDS);
        long reconcile = settings.implicitReconcileInterval().toMillis();
        timers.scheduleWithFixedDelay(guarded(() -> {
            if (client.isSubscribed()) {
                launcher.reconcileImplicitly();
            }
        }), reconcile, reconcile, TimeUnit.MILLISECONDS);
        return resumed;
    }

    /**
     * Resumed runs reach the launcher on their own threads. A placed run must be there before we subscribe: the
     * master resends its tasks' unacknowledged updates at once, and the launcher kills tasks of runs it does not
     * know. A short bounded wait is enough: taking over only reads the store and lists the copies.
     */
    private void awaitTakenOver(Map<String, CompletableFuture<RunStatus>> resumed) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        for (String runId : resumed.keySet()) {
            if (service.get(runId).placement() == null) {
                continue;
            }
            while (launcher.run(runId).isEmpty() && !resumed.get(runId).isDone() && System.nanoTime() < deadline) {
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private Runnable guarded(Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                log.accept("timer task failed: " + e);
            }
        };
    }

    public RunService service() {
        return service;
    }

    public MesosLauncher launcher() {
        return launcher;
    }

    public MesosSchedulerClient client() {
        return client;
    }

    /** Completes with the master's message when it ended this framework (an ERROR event): the process should exit. */
    public CompletableFuture<String> ended() {
        return ended;
    }

    /**
     * Stops talking to the master. The framework stays registered and its tasks keep running until the failover
     * timeout: a scheduler started again with the same stores takes them over.
     */
    @Override
    public void close() {
        timers.shutdownNow();
        client.close();
        reportReaders.shutdownNow();
    }

    private static final class ClientHolder {
        volatile MesosSchedulerClient client;
    }
}
