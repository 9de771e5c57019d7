package io.snapci.tests.cluster;

import io.snapci.model.Phase;
import io.snapci.model.RunSpec;
import io.snapci.model.RunStatus;
import io.snapci.model.Source;
import io.snapci.scheduler.mesos.MesosMode;
import io.snapci.scheduler.mesos.MesosFramework;
import io.snapci.scheduler.mesos.launch.MesosLaunchConfig;
import io.snapci.scheduler.mesos.launch.MesosLauncher;
import io.snapci.scheduler.mesos.offer.OfferEvaluator;
import io.snapci.scheduler.mesos.offer.OfferEvaluatorConfig;
import io.snapci.scheduler.mesos.transport.Authenticator;
import io.snapci.scheduler.mesos.transport.MesosClientConfig;
import io.snapci.scheduler.core.state.FrameworkIdStore;
import io.snapci.scheduler.core.state.RunStore;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
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
    private Map<String, CompletableFuture<RunStatus>> resumed = Map.of();

    public SnapciScheduler(URI master, Authenticator auth, VolumeCloneDriver volumes, RunStore runs,
                           FrameworkIdStore frameworkIds) {
        MesosLaunchConfig launch = MesosLaunchConfig.defaults("http://snapci.marathon.l4lb.thisdcos.directory:8080"
                + "/v1/artifacts/snapci-executor.tgz");
        this.evaluator = new OfferEvaluator(OfferEvaluatorConfig.forLaunch(launch, List.of(TIER), List.of(),
                OfferEvaluatorConfig.DEFAULT_MAINTENANCE_HORIZON), Clock.systemUTC());
        MesosClientConfig client = MesosClientConfig.forMaster(master)
                .withBackoff(Duration.ofMillis(50), Duration.ofMillis(400), true)
                .withSubscribeTimeout(Duration.ofSeconds(5))
                .withRequestTimeout(Duration.ofSeconds(5));
        MesosMode.Settings settings = new MesosMode.Settings(MesosFramework.Settings.defaults(), client, launch,
                new MesosLauncher.Timing(Duration.ofSeconds(20), Duration.ofSeconds(2), Duration.ofMillis(300),
                        Duration.ofSeconds(2), Duration.ofMillis(300), 3),
                Duration.ofMillis(100), Duration.ofSeconds(30));
        this.mode = new MesosMode(settings, auth, volumes, evaluator, runs, frameworkIds, Clock.systemUTC(), log::add);
    }

    /** Takes over what a previous scheduler left, then subscribes. */
    public SnapciScheduler start() {
        resumed = mode.start();
        return this;
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
        return new Submitted(queued.id(), mode.service().start(queued.id()));
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
