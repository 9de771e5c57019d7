package io.snapci.server.mesos;

import io.snapci.model.Phase;
import io.snapci.model.RunStatus;
import io.snapci.scheduler.core.launch.DeclineReasons;
import io.snapci.scheduler.core.process.ProcessExit;
import io.snapci.scheduler.core.run.RunService;
import io.snapci.scheduler.core.schedule.SnapshotCatalog;
import io.snapci.scheduler.core.state.FrameworkIdStore;
import io.snapci.scheduler.core.state.RunStore;
import io.snapci.scheduler.mesos.MesosMode;
import io.snapci.scheduler.mesos.offer.OfferEvaluator;
import io.snapci.scheduler.mesos.sandbox.AgentFiles;
import io.snapci.scheduler.mesos.transport.Authenticator;
import io.snapci.scheduler.portworx.BaseCopies;
import io.snapci.scheduler.portworx.PortworxConfig;
import io.snapci.scheduler.portworx.PortworxDriver;
import io.snapci.scheduler.portworx.PortworxGarbageCollector;
import io.snapci.scheduler.portworx.RunLookup;
import io.snapci.scheduler.portworx.schedule.SnapshotSchedules;
import io.snapci.scheduler.zookeeper.ZkConnection;
import io.snapci.scheduler.zookeeper.ZkFrameworkIdStore;
import io.snapci.scheduler.zookeeper.ZkLeaderLock;
import io.snapci.scheduler.zookeeper.ZkRunStore;
import io.snapci.scheduler.zookeeper.ZkScheduleStore;
import io.snapci.scheduler.zookeeper.ZkSettings;
import io.snapci.scheduler.zookeeper.ZkUrl;
import io.snapci.server.config.ClusterConfig;
import io.snapci.server.config.ServeConfig;
import io.snapci.server.runs.CloneTimes;
import io.snapci.server.runs.Leadership;
import io.snapci.server.runs.RunBackend;
import io.snapci.server.runs.RunFiles;
import io.snapci.server.runs.SpecRules;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * serve in a cluster: runs go to Mesos ({@link MesosMode}) on Portworx clones, state in ZooKeeper. Runs are not
 * this process's to cancel at shutdown: Marathon stops the scheduler for upgrades and restarts too, and the next
 * process takes the runs over from ZooKeeper and the master (the framework outlives the process for its failover
 * timeout). Orphaned clones and snapshots are collected by the Portworx garbage collector.
 *
 * <p>One process leads: it joins the election ({@link ZkLeaderLock}) at construction and acts (subscribes, launches,
 * collects garbage, takes snapshots) only once it holds the lock; losing the lock ends the process.
 */
public final class MesosRunBackend implements RunBackend {

    private static final Duration GC_INTERVAL = Duration.ofMinutes(10);
    private static final Duration SCHEDULE_TICK = Duration.ofMinutes(1);

    private final ZkConnection zk;
    private final ZkLeaderLock leaderLock;
    private final RunStore store;
    private final io.snapci.scheduler.core.audit.AuditLog audit;
    private final CloneTimes cloneTimes;
    private final OfferEvaluator evaluator;
    private final MesosMode mode;
    private final PortworxGarbageCollector gc;
    private final SnapshotSchedules schedules;
    private final BaseCopies baseCopies;
    private final CollectedVolumesAudit gcAudit;
    private final RunFiles files;
    private final Consumer<String> log;

    /**
     * @param id   who this process is, for the leader election (a standby shows the leader's id)
     * @param exit how the process ends when its state can no longer be trusted (crash-only)
     */
    public MesosRunBackend(ServeConfig config, Clock clock, Path cacheDir, String id, Consumer<String> log,
                           ProcessExit exit) {
        ClusterConfig cluster = config.cluster();
        this.log = log;
        this.zk = ZkConnection.open(ZkUrl.parse(config.zkUrl()),
                ZkSettings.defaults().withSessionTimeout(cluster.zkSessionTimeout()));
        this.store = new ZkRunStore(zk);
        this.audit = new io.snapci.scheduler.zookeeper.ZkAuditLog(zk);
        FrameworkIdStore frameworkIds = new ZkFrameworkIdStore(zk);
        PortworxConfig portworx = MesosSettings.portworx(cluster);
        PortworxDriver driver = new PortworxDriver(portworx, clock);
        this.cloneTimes = new CloneTimes(driver);
        this.evaluator = new OfferEvaluator(MesosSettings.offers(cluster), clock);
        Authenticator auth = MesosSettings.authenticator(cluster, clock);
        this.mode = new MesosMode(MesosSettings.mode(config), auth, cloneTimes, evaluator, store, frameworkIds, clock,
                log, exit, config.masking()::gateFor);
        this.gc = new PortworxGarbageCollector(driver, portworx, RunLookup.of(store), clock);
        this.schedules = new SnapshotSchedules(driver, new ZkScheduleStore(zk), clock,
                new io.snapci.server.audit.ScheduledSnapshotAudit(audit, clock, log));
        ScheduleLines.parse(cluster.schedules()).forEach(schedules::ensure);
        this.baseCopies = new BaseCopies(driver, BaseCopyLines.parse(cluster.baseCopies()), clock,
                io.snapci.server.audit.ScheduledSnapshotAudit.forBaseCopies(audit, clock, log));
        this.gcAudit = new CollectedVolumesAudit(audit, clock, portworx.gcGrace(), log);
        this.files = new MesosRunFiles(store, frameworkIds, new AgentFiles(MesosSettings.httpClient(cluster), auth,
                Duration.ofSeconds(10)), cacheDir);
        this.leaderLock = new ZkLeaderLock(zk, id, why -> exit.exit(ProcessExit.Reason.LEADERSHIP_LOST, why));
        leaderLock.start();
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
    public io.snapci.scheduler.core.audit.AuditLog audit() {
        return audit;
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

    @Override
    public Leadership leadership() {
        return new Leadership() {
            @Override
            public CompletableFuture<Void> acquired() {
                return leaderLock.acquired();
            }

            @Override
            public Optional<String> leader() {
                return leaderLock.leader();
            }
        };
    }

    /**
     * Once leading: takes the runs a previous process placed back (their tasks asked about after SUBSCRIBED),
     * subscribes, starts the garbage collector and the schedules; returns the taken-over runs, then the QUEUED ones,
     * for the dispatcher.
     */
    @Override
    public List<String> takeOver() {
        List<String> runs = new ArrayList<>(mode.start());
        gc.startPeriodic(GC_INTERVAL, log, gcAudit);
        schedules.startPeriodic(SCHEDULE_TICK, log);
        baseCopies.startPeriodic(SCHEDULE_TICK, log);
        return runs;  // mode.start() named the QUEUED runs too
    }

    /** One leader at a time (the leader lock): within the process, the dispatcher owns each run. */
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
        baseCopies.close();
        schedules.close();
        gc.close();
        mode.close();
        leaderLock.close();
        zk.close();
    }
}
