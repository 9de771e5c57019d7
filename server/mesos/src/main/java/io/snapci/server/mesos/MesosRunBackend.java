package io.snapci.server.mesos;

import io.snapci.server.runs.CloneTimes;
import io.snapci.server.runs.RunBackend;
import io.snapci.server.runs.RunFiles;
import io.snapci.scheduler.core.schedule.SnapshotCatalog;
import io.snapci.server.runs.SpecRules;

import com.fasterxml.jackson.databind.JsonNode;
import io.snapci.model.Json;
import io.snapci.model.Phase;
import io.snapci.model.RunStatus;
import io.snapci.scheduler.mesos.MesosMode;
import io.snapci.scheduler.mesos.MesosFramework;
import io.snapci.scheduler.mesos.launch.MesosLaunchConfig;
import io.snapci.scheduler.mesos.launch.MesosLauncher;
import io.snapci.scheduler.core.launch.DeclineReasons;
import io.snapci.scheduler.mesos.offer.OfferEvaluator;
import io.snapci.scheduler.mesos.offer.OfferEvaluatorConfig;
import io.snapci.scheduler.mesos.sandbox.AgentFiles;
import io.snapci.scheduler.mesos.transport.Authenticator;
import io.snapci.scheduler.mesos.transport.DcosServiceAccount;
import io.snapci.scheduler.mesos.transport.MesosClientConfig;
import io.snapci.scheduler.core.run.RunService;
import io.snapci.scheduler.core.state.FrameworkIdStore;
import io.snapci.scheduler.core.state.RunStore;
import io.snapci.scheduler.zookeeper.ZkConnection;
import io.snapci.scheduler.zookeeper.ZkFrameworkIdStore;
import io.snapci.scheduler.zookeeper.ZkRunStore;
import io.snapci.scheduler.zookeeper.ZkScheduleStore;
import io.snapci.scheduler.portworx.CiTier;
import io.snapci.scheduler.portworx.PortworxConfig;
import io.snapci.scheduler.portworx.PortworxDriver;
import io.snapci.scheduler.portworx.PortworxGarbageCollector;
import io.snapci.scheduler.portworx.RunLookup;
import io.snapci.scheduler.portworx.schedule.SnapshotSchedules;
import io.snapci.scheduler.portworx.sdk.SdkConfig;
import io.snapci.server.config.ClusterConfig;
import io.snapci.server.config.ConfigException;
import io.snapci.server.config.ServeConfig;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * serve in a cluster: runs go to Mesos ({@link MesosMode}) on Portworx clones, state in ZooKeeper. Runs are not
 * this process's to cancel at shutdown: Marathon stops the scheduler for upgrades and restarts too, and the next
 * process takes the runs over from ZooKeeper and the master (the framework outlives the process for its failover
 * timeout). Orphaned clones and snapshots are collected by the Portworx garbage collector.
 */
public final class MesosRunBackend implements RunBackend {

    private static final Duration GC_INTERVAL = Duration.ofMinutes(10);
    private static final Duration SCHEDULE_TICK = Duration.ofMinutes(1);

    private final ZkConnection zk;
    private final RunStore store;
    private final CloneTimes cloneTimes;
    private final OfferEvaluator evaluator;
    private final MesosMode mode;
    private final PortworxGarbageCollector gc;
    private final SnapshotSchedules schedules;
    private final RunFiles files;
    private final Consumer<String> log;

    public MesosRunBackend(ServeConfig config, Clock clock, Path cacheDir, Consumer<String> log) {
        ClusterConfig cluster = config.cluster();
        this.log = log;
        this.zk = ZkConnection.open(config.zkUrl());
        this.store = new ZkRunStore(zk);
        FrameworkIdStore frameworkIds = new ZkFrameworkIdStore(zk);
        PortworxConfig portworx = portworx(cluster);
        PortworxDriver driver = new PortworxDriver(portworx, clock);
        this.cloneTimes = new CloneTimes(driver);
        MesosLaunchConfig launch = new MesosLaunchConfig(cluster.cassandraImage(), cluster.cassandraDataPath(), "pxd",
                Map.of(), cluster.cassandraCpus(), cluster.cassandraMemMb(), cluster.testsCpus(), cluster.testsMemMb(),
                0.1, 32, 64, cluster.executorUri(), cluster.role());
        this.evaluator = new OfferEvaluator(OfferEvaluatorConfig.forLaunch(launch, cluster.requiredAttributes(),
                List.of(), OfferEvaluatorConfig.DEFAULT_MAINTENANCE_HORIZON), clock);
        Authenticator auth = authenticator(cluster, clock);
        MesosMode.Settings settings = new MesosMode.Settings(new MesosFramework.Settings(cluster.frameworkName(),
                cluster.role(), cluster.principal(), cluster.user(), MesosFramework.Settings.DEFAULT_FAILOVER_TIMEOUT),
                MesosClientConfig.forMaster(config.mesosMaster()), launch,
                MesosLauncher.Timing.defaults().withMaxAttempts(cluster.maxAttempts()), Duration.ofSeconds(1),
                Duration.ofMinutes(10));
        this.mode = new MesosMode(settings, auth, cloneTimes, evaluator, store, frameworkIds, clock, log);
        this.gc = new PortworxGarbageCollector(driver, portworx, RunLookup.of(store), clock);
        this.schedules = new SnapshotSchedules(driver, new ZkScheduleStore(zk), clock);
        ScheduleLines.parse(cluster.schedules()).forEach(schedules::ensure);
        this.files = new MesosRunFiles(store, frameworkIds, new AgentFiles(HttpClient.newHttpClient(), auth,
                Duration.ofSeconds(10)), cacheDir);
        mode.ended().thenAccept(message -> {
            // The master removed this framework: nothing this process does can reach its tasks again. Exit, so
            // Marathon starts a fresh process that registers anew and takes the stored runs over.
            log.accept("the Mesos master ended this framework (" + message + "); exiting so Marathon restarts us");
            new Thread(() -> System.exit(70), "snapci-framework-ended").start();
        });
    }

    private static PortworxConfig portworx(ClusterConfig cluster) {
        SdkConfig sdk = SdkConfig.of(URI.create(cluster.portworxEndpoint()));
        if (cluster.portworxToken() != null) {
            sdk = sdk.withToken(cluster.portworxToken());
        }
        if (cluster.portworxCaFile() != null) {
            sdk = sdk.withCaCertificate(Path.of(cluster.portworxCaFile()));
        }
        try {
            return PortworxConfig.of(sdk).withTier(new CiTier(cluster.cloneCos(), null, cluster.ciNodeLabels(),
                    cluster.ciPoolLabels())).withGcGrace(cluster.gcGrace());
        } catch (IllegalArgumentException e) {
            throw new ConfigException("portworx settings: " + e.getMessage(), e);
        }
    }

    /** DC/OS strict mode's service account secret ({@code dcos security secrets create-sa-secret}), else none. */
    private static Authenticator authenticator(ClusterConfig cluster, Clock clock) {
        if (cluster.serviceAccountCredential() == null) {
            return Authenticator.none();
        }
        try {
            JsonNode secret = Json.mapper().readTree(cluster.serviceAccountCredential());
            String uid = secret.path("uid").asText("");
            String key = secret.path("private_key").asText("");
            String login = secret.path("login_endpoint").asText("");
            if (uid.isEmpty() || key.isEmpty() || login.isEmpty()) {
                throw new ConfigException("mesos.serviceAccountCredential must be the JSON DC/OS stores for a service"
                        + " account: {\"uid\", \"private_key\", \"login_endpoint\"}; one of them is missing");
            }
            return new DcosServiceAccount(URI.create(login), uid, key, clock, HttpClient.newHttpClient());
        } catch (IOException e) {
            throw new ConfigException("mesos.serviceAccountCredential is not JSON (the value is not shown)", e);
        }
    }

    @Override
    public String mode() {
        return "mesos";
    }

    @Override
    public RunService service() {
        return mode.service();
    }

    @Override
    public RunStore store() {
        return store;
    }

    @Override
    public SpecRules rules() {
        return new ClusterSpecRules();
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
    public Optional<SnapshotCatalog> snapshots() {
        return Optional.of(schedules);
    }

    @Override
    public Optional<DeclineReasons> declineReasons() {
        return Optional.of(evaluator.declineReasons());
    }

    /**
     * Takes the runs a previous process placed back from the master (reconciliation), subscribes, starts the
     * garbage collector and the schedules; returns the QUEUED runs for the dispatcher.
     */
    @Override
    public List<String> takeOver() {
        mode.start();
        gc.startPeriodic(GC_INTERVAL, log);
        schedules.startPeriodic(SCHEDULE_TICK, log);
        return store.list().stream().filter(r -> r.phase() == Phase.QUEUED).map(RunStatus::id).toList();
    }

    /** One scheduler at a time (Marathon's upgrade strategy): nothing to lock against. */
    @Override
    public AutoCloseable claim(String runId) {
        return () -> { };
    }

    @Override
    public boolean cancelsRunsOnShutdown() {
        return false;
    }

    @Override
    public void close() {
        schedules.close();
        gc.close();
        mode.close();
        zk.close();
    }
}
