package io.snapci.tests.cluster;

import io.snapci.model.Phase;
import io.snapci.model.RunSpec;
import io.snapci.model.RunStatus;
import io.snapci.model.Source;
import io.snapci.scheduler.core.process.ProcessExit;
import io.snapci.scheduler.mesos.MesosMode;
import io.snapci.scheduler.mesos.launch.MesosLaunchConfig;
import io.snapci.scheduler.mesos.launch.MesosLauncher;
import io.snapci.scheduler.mesos.offer.OfferEvaluator;
import io.snapci.scheduler.mesos.transport.Authenticator;
import io.snapci.scheduler.mesos.transport.MesosClientConfig;
import io.snapci.scheduler.core.state.FrameworkIdStore;
import io.snapci.scheduler.core.state.RunStore;
import io.snapci.server.config.ClusterConfig;
import io.snapci.server.config.ServeConfigLoader;
import io.snapci.server.mesos.MesosSettings;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * One snapci scheduler process, as far as a scenario cares: Mesos mode wired exactly as in a cluster (the real
 * transport over loopback HTTP, the offer evaluator requiring {@code tier:ci}, the launcher, the run service), with
 * the stores and the copies handed in so that a "restarted" scheduler can be given the same ones. Timings are
 * shortened so a story takes seconds.
 */
public final class SnapciScheduler implements AutoCloseable {

    public static final String TIER = "tier:ci";

    private final MesosMode mode;
    private final OfferEvaluator evaluator;
    private final List<String> log = new CopyOnWriteArrayList<>();
    private final ExecutorService runThreads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "snapci-test-run");
        t.setDaemon(true);   // a run thread of a "dead" scheduler may wait forever: it dies with the JVM, as in a process
        return t;
    });
    private final CompletableFuture<ProcessExit.Reason> exited = new CompletableFuture<>();
    private Map<String, CompletableFuture<RunStatus>> resumed = Map.of();

    public SnapciScheduler(URI master, Authenticator auth, VolumeCloneDriver volumes, RunStore runs,
                           FrameworkIdStore frameworkIds) {
        ClusterConfig defaults = packageDefaults(master);
        MesosLaunchConfig launch = MesosSettings.launch(defaults);
        this.evaluator = new OfferEvaluator(MesosSettings.offers(defaults), Clock.systemUTC());
        MesosClientConfig client = MesosClientConfig.forMaster(master)
                .withBackoff(Duration.ofMillis(50), Duration.ofMillis(400), true)
                .withSubscribeTimeout(Duration.ofSeconds(5))
                .withRequestTimeout(Duration.ofSeconds(5));
        MesosMode.Settings settings = new MesosMode.Settings(MesosSettings.framework(defaults), client, launch,
                new MesosLauncher.Timing(Duration.ofSeconds(20), Duration.ofSeconds(2), Duration.ofMillis(300),
                        Duration.ofSeconds(2), Duration.ofMillis(300), 3),
                Duration.ofMillis(100), Duration.ofSeconds(30));
        // Crash-only: where the real process would exit, this scheduler dies the same way (no goodbye to the
        // master, nothing cleaned up), and the test sees why.
        ProcessExit exit = (reason, why) -> {
            if (exited.complete(reason)) {
                log.add("process exit " + reason + ": " + why);
                new Thread(this::close, "snapci-test-process-exit").start();
            }
        };
        this.mode = new MesosMode(settings, auth, volumes, evaluator, runs, frameworkIds, Clock.systemUTC(), log::add,
                exit);
    }

    /** serve's configuration table with nothing but the cluster's addresses set: the package's defaults. */
    static ClusterConfig packageDefaults(URI master) {
        return ServeConfigLoader.load(null, Map.of(), Map.of("mode", "mesos", "mesos.master", master.toString(),
                "zk.url", "zk://127.0.0.1:2181/snapci", "portworx.endpoint", "http://127.0.0.1:9021",
                "mesos.executorUri", "http://snapci.marathon.l4lb.thisdcos.directory:8080"
                        + "/v1/artifacts/snapci-executor.tgz")).cluster();
    }

    /** Takes over what a previous scheduler left, then subscribes; the taken-over runs go on on their own threads. */
    public SnapciScheduler start() {
        Map<String, CompletableFuture<RunStatus>> taken = new LinkedHashMap<>();
        for (String runId : mode.start()) {
            taken.put(runId, mode.service().start(runId, runThreads));
        }
        resumed = taken;
        return this;
    }

    /** Completes with the reason when this scheduler ended itself, as the real process would exit. */
    public CompletableFuture<ProcessExit.Reason> exited() {
        return exited;
    }

    /** Runs taken over at start, with how each ends. */
    public Map<String, CompletableFuture<RunStatus>> resumed() {
        return resumed;
    }

    /** Submits a run of {@code mvn test} against the production volume and drives it on its own thread. */
    public Submitted submit() {
        RunSpec spec = new RunSpec(Source.volume("cassandra-prod"), "mvn -q test", "maven:3-eclipse-temurin-17",
                null, Map.of(), "target/surefire-reports/*.xml", null, null, Map.of("ci-job", "1234"));
        RunStatus queued = mode.service().submit(spec);
        return new Submitted(queued.id(), mode.service().start(queued.id(), runThreads));
    }

    public RunStatus status(String runId) {
        return mode.service().get(runId);
    }

    /** Waits until the run is in {@code phase} (or past it, for a terminal one). */
    public RunStatus awaitPhase(String runId, Phase phase, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        RunStatus now = status(runId);
        while (now.phase() != phase && System.nanoTime() < deadline) {
            if (now.phase().isTerminal()) {
                throw new AssertionError("run ended " + now.phase() + " (" + now.message() + ") waiting for " + phase);
            }
            sleep(10);
            now = status(runId);
        }
        if (now.phase() != phase) {
            throw new AssertionError("run " + runId + " is " + now.phase() + " after " + timeout + ", not " + phase
                    + "; scheduler log: " + log);
        }
        return now;
    }

    public OfferEvaluator evaluator() {
        return evaluator;
    }

    public MesosMode mode() {
        return mode;
    }

    public List<String> log() {
        return List.copyOf(log);
    }

    /** The process dies: no goodbye to the master, nothing cleaned up; the framework stays registered. */
    @Override
    public void close() {
        mode.close();
    }

    /** Stops the threads that followed this scheduler's runs (after close: the runs are the next scheduler's). */
    public void stopRunThreads() {
        runThreads.shutdownNow();
    }

    /** A run and how it ends. */
    public record Submitted(String id, CompletableFuture<RunStatus> end) {

        public RunStatus awaitEnd(Duration timeout) {
            try {
                return end.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                throw new AssertionError("run " + id + " did not end within " + timeout + ": " + e, e);
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
