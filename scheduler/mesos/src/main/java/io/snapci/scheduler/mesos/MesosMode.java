package io.snapci.scheduler.mesos;

import io.snapci.scheduler.mesos.launch.MesosLaunchConfig;
import io.snapci.scheduler.mesos.launch.MesosLauncher;
import io.snapci.scheduler.mesos.launch.OfferMatcher;
import io.snapci.scheduler.mesos.launch.TaskGroupFactory;
import io.snapci.scheduler.mesos.sandbox.AgentFiles;
import io.snapci.scheduler.core.storage.SourceCheck;
import io.snapci.scheduler.core.storage.SourcePolicy;
import io.snapci.scheduler.mesos.sandbox.TaskSandboxes;
import io.snapci.scheduler.mesos.transport.Authenticator;
import io.snapci.scheduler.mesos.transport.MesosClientConfig;
import io.snapci.scheduler.mesos.transport.MesosSchedulerClient;
import io.snapci.scheduler.core.process.ProcessExit;
import io.snapci.scheduler.core.process.Threads;
import io.snapci.scheduler.core.run.RunService;
import io.snapci.scheduler.core.state.FrameworkIdStore;
import io.snapci.scheduler.core.state.RunStore;
import io.snapci.scheduler.core.storage.SnapshotDriver;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
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

        /** How often the launcher's timeouts are checked, and the master asked about every task of ours. */
        public static final Duration TICK = Duration.ofSeconds(1);
        public static final Duration IMPLICIT_RECONCILIATION = Duration.ofMinutes(10);
    }

    private final Settings settings;
    private final MesosLauncher launcher;
    private final MesosFramework framework;
    private final MesosSchedulerClient client;
    private final RunService service;
    private final ProcessExit exit;
    private final ScheduledExecutorService timers;
    private final ExecutorService reportReaders;
    private final Consumer<String> log;

    /**
     * @param exit how the process ends when its state can no longer be trusted: the master removed the framework, an
     *             event could not be handled, or a run's new state could not be stored (crash-only; Marathon
     *             restarts the scheduler and the restart path takes over)
     */
    public MesosMode(Settings settings, Authenticator authenticator, SnapshotDriver driver, OfferMatcher matcher,
                     RunStore store, FrameworkIdStore frameworkIds, Clock clock, Consumer<String> log,
                     ProcessExit exit) {
        this(settings, authenticator, driver, matcher, store, frameworkIds, clock, log, exit, SourcePolicy.OPEN);
    }

    /** @param sourcePolicy what a run must carry to copy the volumes its source resolves to (their masking) */
    public MesosMode(Settings settings, Authenticator authenticator, SnapshotDriver driver, OfferMatcher matcher,
                     RunStore store, FrameworkIdStore frameworkIds, Clock clock, Consumer<String> log,
                     ProcessExit exit, SourcePolicy sourcePolicy) {
        this.settings = settings;
        this.log = log;
        this.exit = exit;
        // The client first: the launcher and the framework send calls through it; it hears their events at start().
        this.client = new MesosSchedulerClient(settings.client(), authenticator);
        this.reportReaders = Executors.newCachedThreadPool(Threads.daemon("snapci-sandbox-reader"));
        AgentFiles agentFiles = new AgentFiles(settings.client().trust().httpClientBuilder()
                .connectTimeout(Duration.ofSeconds(5)).build(),
                authenticator, Duration.ofSeconds(10));
        TaskSandboxes sandboxes = new TaskSandboxes(agentFiles, reportReaders, log);
        this.launcher = new MesosLauncher(client::send, matcher, new TaskGroupFactory(settings.launch()),
                frameworkIds, clock, log, settings.timing(), sandboxes, sandboxes);
        this.framework = new MesosFramework(settings.framework(), frameworkIds, launcher, call -> {
            try {
                client.send(call);
            } catch (Exception e) {
                log.accept(call.getType() + " failed: " + e.getMessage());
            }
        }, log, message -> exit.exit(ProcessExit.Reason.FRAMEWORK_REMOVED, "the Mesos master ended this framework: "
                + message));
        this.service = new RunService(driver, launcher, store, clock, e -> exit.exit(
                ProcessExit.Reason.STATE_NOT_STORED, "a run's new state could not be stored: " + e.getMessage()),
                SourceCheck.NONE, sourcePolicy);
        this.timers = Executors.newSingleThreadScheduledExecutor(Threads.daemon("snapci-mesos-timers"));
    }

    /**
     * Takes over the runs a previous process left (placed runs are back in the launcher when this returns, so the
     * explicit reconciliation after SUBSCRIBED asks about their tasks and none is launched twice), subscribes to the
     * master, and starts the timers. Returns the taken-over runs, then the QUEUED ones: each is the caller's to
     * {@link RunService#execute} (serve's dispatcher runs them within its limit).
     */
    public List<String> start() {
        RunService.Resumption resumption = service.resumeAll();
        List<String> resumed = new java.util.ArrayList<>(resumption.resumed());
        resumed.addAll(resumption.queued());
        client.start(framework::frameworkInfo, framework, why -> exit.exit(ProcessExit.Reason.EVENT_HANDLING_FAILED,
                why));
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

    /** A timer's work failing is the same unknown state as an event handler failing: end the process. */
    private Runnable guarded(Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                log.accept("timer task failed: " + e);
                exit.exit(ProcessExit.Reason.EVENT_HANDLING_FAILED, "a timer task failed: " + e);
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
}
