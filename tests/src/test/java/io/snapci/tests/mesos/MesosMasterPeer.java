package io.snapci.tests.mesos;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.OfferID;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;

/**
 * A Mesos master for tests: the v1 scheduler HTTP API on 127.0.0.1, with the real master's rules (mesos 1.11.0;
 * sources are cited in each part), and agents of two kinds: scripted ones, that exist only as resources and whose
 * executors are played from scripts ({@link Lifecycle}), and executing ones ({@link AgentSpec.Builder#executing}),
 * that really run the task groups they are given on this machine ({@link io.snapci.tests.mesos.agent.ExecutingAgent}).
 *
 * <pre>{@code
 * try (MesosMasterPeer master = MesosMasterPeer.start(PeerOptions.forTests())) {
 *     master.addAgent(AgentSpec.agent("ci-1").cpus(8).mem(32768).disk(200_000).ports(31000, 32000)
 *             .attribute("tier", "ci").build());
 *     master.onLaunch("cassandra", Lifecycle.of(TASK_STARTING, TASK_RUNNING).thenTcpCheckPassed()
 *             .after(Duration.ofMillis(100)));
 *     master.onLaunch("tests", Lifecycle.of(TASK_STARTING, TASK_RUNNING).thenExits(0)
 *             .after(Duration.ofMillis(300)));
 *     // ... start snapci's scheduler against master.url() ...
 *     master.awaitSubscribed(Duration.ofSeconds(5));
 *     master.offerNow();
 *     Call accept = master.awaitCall(Call.Type.ACCEPT, Duration.ofSeconds(5));
 * }
 * }</pre>
 *
 * <p>The parts: {@link SchedulerEndpoint} (HTTP rules), {@link EventStream} and {@link RecordIoWriter}
 * (subscriptions), {@link Allocator} (agents, offers, filters), {@link LaunchValidation} (ACCEPT checks),
 * {@link StatusUpdateManager} (uuids, acknowledgements, resends), {@link ScriptedExecutors} (lifecycles, kills),
 * {@link PeerMaster} (the master's state, on one thread). All methods here are thread-safe: they run on that thread.
 */
public final class MesosMasterPeer implements AutoCloseable {

    private static final Duration STEP_TIMEOUT = Duration.ofSeconds(10);

    private final PeerOptions options;
    private final HttpServer server;
    private final ExecutorService httpThreads = Executors.newCachedThreadPool(daemon("mesos-peer-http"));
    private final ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor(
            daemon("mesos-peer-master"));
    private final PeerMaster master;
    private final SchedulerEndpoint endpoint;
    private final CallLog calls = new CallLog();
    private int subscribedSeen;

    private MesosMasterPeer(PeerOptions options) throws IOException {
        this.options = options;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        this.master = new PeerMaster(clock, options, "127.0.0.1", server.getAddress().getPort());
        this.endpoint = new SchedulerEndpoint(master, calls);
        server.setExecutor(httpThreads);
        server.createContext(SchedulerEndpoint.PATH, endpoint);
        server.createContext("/master" + SchedulerEndpoint.PATH, endpoint);
        server.start();
        options.allocationInterval().ifPresent(every -> clock.scheduleAtFixedRate(master::allocate,
                every.toNanos(), every.toNanos(), TimeUnit.NANOSECONDS));
    }

    /** Starts a leading master on 127.0.0.1 and a free port. */
    public static MesosMasterPeer start(PeerOptions options) {
        try {
            return new MesosMasterPeer(options);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code http://127.0.0.1:<port>}: what a scheduler is configured with. */
    public URI url() {
        return URI.create("http://" + hostPort());
    }

    /** {@code http://127.0.0.1:<port>/api/v1/scheduler}. */
    public URI schedulerEndpoint() {
        return URI.create(url() + SchedulerEndpoint.PATH);
    }

    public String hostPort() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    public PeerOptions options() {
        return options;
    }

    // ---- the cluster -------------------------------------------------------------------------------------------

    public MesosMasterPeer addAgent(AgentSpec agent) {
        run(() -> master.addAgent(agent));
        return this;
    }

    /**
     * The agent is removed: its tasks TASK_GONE (partition-aware) or TASK_LOST, FAILURE to every framework. An
     * executing agent's processes keep running, as on a machine that is still up but cut off, until
     * {@link #killAgent} or {@link #close}.
     */
    public void removeAgent(String agentId) {
        run(() -> master.removeAgent(agentId, false));
    }

    /**
     * The machine under an executing agent dies: every process it started is killed (no update is sent, volumes stay
     * mounted), then the master removes the agent as {@link #removeAgent} does.
     */
    public void killAgent(String agentId) {
        get(() -> master.takeForKill(agentId)).crash();
        run(() -> master.removeAgent(agentId, false));
    }

    /** The agent that really runs its tasks (for its sandboxes, downloads and processes); empty for a scripted one. */
    public Optional<io.snapci.tests.mesos.agent.ExecutingAgent> executingAgent(String agentId) {
        return get(() -> master.executingAgent(agentId));
    }

    /** The agent is partitioned away: its tasks TASK_UNREACHABLE (partition-aware) or TASK_LOST, FAILURE. */
    public void agentUnreachable(String agentId) {
        run(() -> master.removeAgent(agentId, true));
    }

    /** Maintenance: later offers for the agent carry {@code unavailability}; frameworks using it get inverse offers. */
    public void scheduleMaintenance(String agentId, Instant start, Duration duration) {
        run(() -> master.scheduleMaintenance(agentId, start, duration));
    }

    /** Runs one allocation cycle now. */
    public void offerNow() {
        run(master::allocate);
    }

    public List<Offer> outstandingOffers() {
        return get(master::outstandingOffers);
    }

    /** Takes the offer back (RESCIND). False if it was not outstanding. */
    public boolean rescind(OfferID offerId) {
        return get(() -> master.rescind(offerId));
    }

    /** Every request must carry an {@code Authorization} header that {@code valid} accepts, else 401. */
    public void requireAuthorization(java.util.function.Predicate<String> valid) {
        endpoint.requireAuthorization(valid);
    }

    /** The offers of the next ACCEPT are rescinded just before the master handles it (as if it crossed a RESCIND). */
    public void rescindBeforeNextAccept() {
        run(master::rescindBeforeNextAccept);
    }

    // ---- tasks -------------------------------------------------------------------------------------------------

    /** Tasks matching {@code which} follow {@code lifecycle}; the newest matching rule wins. */
    public MesosMasterPeer onLaunch(Predicate<TaskInfo> which, Lifecycle lifecycle) {
        run(() -> master.onLaunch(which, lifecycle));
        return this;
    }

    /** Tasks named {@code name} follow {@code lifecycle}. */
    public MesosMasterPeer onLaunch(String name, Lifecycle lifecycle) {
        return onLaunch(task -> task.getName().equals(name), lifecycle);
    }

    /** The task's executor reports {@code state} now (default executor rules apply: a FAILED task kills its group). */
    public void sendUpdate(String taskId, TaskState state) {
        run(() -> master.report(taskId, new Lifecycle.Step(state, Duration.ZERO, null, null, null)));
    }

    public void sendUpdate(String taskId, TaskState state, String message, TaskStatus.Reason reason) {
        run(() -> master.report(taskId, new Lifecycle.Step(state, Duration.ZERO, message, reason, null)));
    }

    /** The latest state the master knows; empty for a task it never launched. */
    public Optional<TaskState> taskState(String taskId) {
        return get(() -> master.taskState(taskId));
    }

    /** Waits until the master knows the task in {@code state}; returns whether it did in time. */
    public boolean awaitTaskState(String taskId, TaskState state, Duration timeout) {
        return poll(() -> taskState(taskId).filter(state::equals).isPresent(), timeout);
    }

    public List<String> liveTasks() {
        return get(master::liveTasks);
    }

    /** Status updates sent but not yet acknowledged (in flight or queued behind one). */
    public List<TaskStatus> unacknowledged() {
        return get(master::unacknowledged);
    }

    // ---- the scheduler's side ----------------------------------------------------------------------------------

    /** The next SUBSCRIBED this peer sent that no earlier call returned. */
    public Event.Subscribed awaitSubscribed(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (this) {
            while (System.nanoTime() < deadline) {
                if (master.subscribedEvents.size() > subscribedSeen) {
                    return master.subscribedEvents.get(subscribedSeen++);
                }
                sleepBriefly();
            }
        }
        throw new AssertionError("no SUBSCRIBED within " + timeout);
    }

    /** The next call of this type answered 2xx that no earlier call returned. */
    public Call awaitCall(Call.Type type, Duration timeout) {
        try {
            return calls.next(type, timeout).orElseThrow(() -> new AssertionError("no " + type + " within "
                    + timeout + "; calls so far: " + calls.all().stream().map(r -> r.call().getType() + "="
                    + r.status()).toList()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Every call received, in order, with the status answered. */
    public List<CallLog.Received> calls() {
        return calls.all();
    }

    public List<String> frameworkIds() {
        return get(master::frameworkIds);
    }

    // ---- faults ------------------------------------------------------------------------------------------------

    /** Ends every subscription stream; frameworks stay (failover_timeout) and must resubscribe. */
    public void dropConnection() {
        run(master::dropConnections);
    }

    /**
     * This master stops leading and points at {@code leader}: streams end, every request gets 307 with
     * {@code Location: //<leader>/api/v1/scheduler}.
     */
    public void notLeader(MesosMasterPeer leader) {
        notLeader(leader.hostPort());
    }

    public void notLeader(String leaderHostPort) {
        endpoint.leadership(new SchedulerEndpoint.Redirecting(leaderHostPort));
        dropConnection();
    }

    /** No master leads: 503 "No leader elected". */
    public void noLeader() {
        endpoint.leadership(new SchedulerEndpoint.NoLeader());
        dropConnection();
    }

    /** This master leads (again). */
    public void leading() {
        endpoint.leadership(new SchedulerEndpoint.Leading());
    }

    /** A new leader takes over with the same agents and tasks: new master id, streams closed, offers forgotten. */
    public void failover() {
        run(master::failover);
    }

    @Override
    public void close() {
        try {
            run(master::dropConnections);
        } catch (RuntimeException ignored) {
            // closing anyway
        }
        try {
            // every process an executing agent started is killed and waited for, off the master's thread
            get(master::takeExecutingAgents).forEach(io.snapci.tests.mesos.agent.ExecutingAgent::close);
        } catch (RuntimeException ignored) {
            // closing anyway
        }
        try {
            run(master::closeAgents);
        } catch (RuntimeException ignored) {
            // closing anyway
        }
        server.stop(0);
        clock.shutdownNow();
        httpThreads.shutdownNow();
    }

    // ---- plumbing ----------------------------------------------------------------------------------------------

    /** Runs on the master thread and waits for it: everything observable is read there. */
    <T> T get(Callable<T> action) {
        try {
            return clock.submit(action).get(STEP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("the peer master did not answer within " + STEP_TIMEOUT, e);
        }
    }

    void run(Runnable action) {
        get(() -> {
            action.run();
            return null;
        });
    }

    /** Polls {@code condition} every 10 ms until true or the timeout. */
    static boolean poll(java.util.function.BooleanSupplier condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            sleepBriefly();
        }
        return condition.getAsBoolean();
    }

    private static void sleepBriefly() {
        try {
            Thread.sleep(10);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
