package io.snapci.scheduler.mesos.launch;

import io.snapci.model.ExecutionResult;
import io.snapci.model.Phase;
import io.snapci.model.Placement;
import io.snapci.model.tasks.TestsTaskReport;
import io.snapci.model.RunStatus;
import io.snapci.scheduler.core.launch.LaunchListener;
import io.snapci.scheduler.core.launch.Launcher;
import io.snapci.scheduler.core.state.FrameworkIdStore;
import io.snapci.scheduler.core.storage.Clone;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.Filters;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.OfferID;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.scheduler.Protos.Call;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs executions as Mesos task groups. It keeps the runs waiting for offers and those launched; turns offers into
 * ACCEPT (LAUNCH_GROUP) or DECLINE, status updates into phases and verdicts, and infrastructure losses into a new
 * attempt on another agent. It holds no offer: what it does not use it declines at once, with a long refuse filter,
 * and it SUPPRESSes offers while no run waits and REVIVEs (rate-limited) when one arrives.
 *
 * <p>Its event methods ({@link #subscribed}, {@link #offers}, {@link #update}, ...) are called by the transport on
 * one thread, in the order the master sent the events; {@link #launch} and {@link #cancel} come from run threads.
 * Everything is guarded by this object's lock.
 */
public final class MesosLauncher implements Launcher {

    /** How long declined offers stay away from us: we come back for them with REVIVE when a run arrives. */
    static final double DECLINE_REFUSE_SECONDS = 300;
    /** The exit code the tests task uses for "could not run the tests" (see TestsTaskMain). */
    static final int TESTS_TASK_INFRASTRUCTURE_EXIT = 3;
    /** How long a verdict waits for the tests task's report before it goes out without the test counts. */
    static final Duration REPORT_WAIT = Duration.ofSeconds(15);

    /**
     * How long the launcher waits on the cluster before acting.
     *
     * @param stagingTimeout    a task still staging after this is killed and its run tried elsewhere (an agent that
     *                          cannot pull the image or mount the volume)
     * @param killRetryInterval a KILL not answered by a terminal update within this is sent again
     * @param reconcileMin      first wait before repeating an unanswered explicit reconciliation; doubles each time
     * @param reconcileMax      the longest wait between explicit reconciliations
     * @param minReviveInterval REVIVEs are at most this often (each one resets the master's filters for us); one
     *                          wanted sooner is sent when the interval has passed
     * @param maxAttempts       placements of a run before an infrastructure loss ends it ERROR (test failures are
     *                          never retried)
     */
    public record Timing(Duration stagingTimeout, Duration killRetryInterval, Duration reconcileMin,
                         Duration reconcileMax, Duration minReviveInterval, int maxAttempts) {

        public static final int DEFAULT_MAX_ATTEMPTS = 3;

        public static Timing defaults() {
            return new Timing(Duration.ofMinutes(10), Duration.ofSeconds(30), Duration.ofSeconds(5),
                    Duration.ofMinutes(5), Duration.ofSeconds(5), DEFAULT_MAX_ATTEMPTS);
        }

        public Timing withMaxAttempts(int attempts) {
            if (attempts < 1) {
                throw new IllegalArgumentException("maxAttempts must be at least 1, got " + attempts);
            }
            return new Timing(stagingTimeout, killRetryInterval, reconcileMin, reconcileMax, minReviveInterval,
                    attempts);
        }
    }

    private final CallSender calls;
    private final OfferMatcher matcher;
    private final TaskGroupFactory tasks;
    private final FrameworkIdStore frameworkIds;
    private final Clock clock;
    private final Consumer<String> log;
    private final Timing timing;
    private final TestsReports reports;

    private final Map<String, ActiveRun> runs = new LinkedHashMap<>();
    private final Set<String> waiting = new LinkedHashSet<>();
    private FrameworkID frameworkId;
    private boolean suppressed;
    private Instant lastRevive = Instant.EPOCH;
    private boolean reviveWanted;
    /** Tasks asked about in an explicit reconciliation and not yet answered, with when to ask again. */
    private final Map<String, AgentID> unanswered = new LinkedHashMap<>();
    private Instant nextReconcile = Instant.MAX;
    private Duration reconcileWait;
    /** When a KILL was last sent for a task that has not ended yet. */
    private final Map<String, Instant> killsSent = new LinkedHashMap<>();

    public MesosLauncher(CallSender calls, OfferMatcher matcher, TaskGroupFactory tasks, FrameworkIdStore frameworkIds,
                         Clock clock, Consumer<String> log) {
        this(calls, matcher, tasks, frameworkIds, clock, log, Timing.defaults(), TestsReports.NONE);
    }

    /** @param reports where the report a tests task leaves in its sandbox is read from */
    public MesosLauncher(CallSender calls, OfferMatcher matcher, TaskGroupFactory tasks, FrameworkIdStore frameworkIds,
                         Clock clock, Consumer<String> log, Timing timing, TestsReports reports) {
        this.timing = timing;
        this.reports = reports;
        this.reconcileWait = timing.reconcileMin();
        this.calls = calls;
        this.matcher = matcher;
        this.tasks = tasks;
        this.frameworkIds = frameworkIds;
        this.clock = clock;
        this.log = log;
    }

    // ---- the Launcher seam -------------------------------------------------------------------------------------

    @Override
    public synchronized CompletableFuture<ExecutionResult> launch(RunStatus run, Clone clone, LaunchListener listener) {
        if (clone.volumeName() == null) {
            return CompletableFuture.completedFuture(ExecutionResult.error("The copy " + clone.id() + " has no "
                    + "volume name: Mesos runs need a cluster storage driver (Portworx), not the local one."));
        }
        ActiveRun active = new ActiveRun(run, clone, listener);
        runs.put(run.id(), active);
        waiting.add(run.id());
        reviveIfNeeded();
        return active.result;
    }

    /**
     * A run launched by a scheduler process that has since died. Without a recorded placement it simply waits for an
     * offer again. With one, its tasks of that attempt may exist: they are taken as staging and asked about in the
     * explicit reconciliation that follows (re)subscription; the master's answer decides — running tasks are
     * followed to their end, tasks it does not know ({@code TASK_UNKNOWN}) or lost send the run to another agent.
     * It is never launched twice under the same attempt.
     */
    @Override
    public synchronized CompletableFuture<ExecutionResult> adopt(RunStatus run, Clone clone, LaunchListener listener) {
        ActiveRun active = new ActiveRun(run, clone, listener);
        runs.put(run.id(), active);
        Placement placed = run.placement();
        active.reported = run.phase();
        if (placed == null) {
            waiting.add(run.id());
            reviveIfNeeded();
            return active.result;
        }
        active.attempt = placed.attempt();
        active.agent = AgentID.newBuilder().setValue(placed.agentId()).build();
        active.agentUrl = placed.agentUrl();
        active.cassandraReady = run.cassandraReadyMillis() != null;
        for (String role : List.of(TaskNames.CASSANDRA, TaskNames.TESTS)) {
            active.states.put(TaskNames.id(run.id(), role, placed.attempt()), TaskState.TASK_STAGING);
        }
        log.accept("took over run " + run.id() + " on " + placed.describe() + "; asking the master about its tasks");
        if (frameworkId != null) {
            reconcileLaunched();
        }
        return active.result;
    }

    @Override
    public synchronized void cancel(String runId) {
        ActiveRun active = runs.get(runId);
        if (active == null) {
            return;
        }
        active.cancelling = true;
        if (waiting.remove(runId)) {
            finish(active, ExecutionResult.cancelled("cancelled while waiting for resources"));
            return;
        }
        active.verdict(Phase.CANCELLED, null, "cancelled");
        killLiveTasks(active);
    }

    /** Runs waiting for an offer, in order (for a debug endpoint and tests). */
    public synchronized List<String> waitingRuns() {
        return List.copyOf(waiting);
    }

    /** The spec of a waiting run, for an offer matcher that needs what it asks for. */
    public synchronized Optional<RunStatus> run(String runId) {
        return Optional.ofNullable(runs.get(runId)).map(a -> a.run);
    }

    // ---- events from the master ----------------------------------------------------------------------------------

    /** SUBSCRIBED: keep the framework id before anything uses it, then reconcile what we launched. */
    public synchronized void subscribed(FrameworkID id) {
        if (frameworkId == null || !frameworkId.equals(id)) {
            frameworkIds.save(id.getValue());
        }
        frameworkId = id;
        suppressed = false;  // a new subscription starts with offers flowing
        reconcileWait = timing.reconcileMin();
        reconcileLaunched();
        if (waiting.isEmpty()) {
            suppress();
        }
    }

    public synchronized void offers(List<Offer> offers) {
        if (waiting.isEmpty()) {
            decline(offers.stream().map(Offer::getId).toList());
            suppress();
            return;
        }
        OfferMatcher.Matches decision = matcher.match(List.copyOf(waiting), offers);
        // An offer can be accepted once: every run placed on it goes into that one ACCEPT.
        Map<OfferID, List<OfferMatcher.Match>> byOffer = new LinkedHashMap<>();
        decision.matches().forEach(m -> byOffer.computeIfAbsent(m.offer().getId(), k -> new ArrayList<>()).add(m));
        byOffer.values().forEach(this::launchOn);
        decline(decision.declined().stream().map(OfferMatcher.Declined::offerId).toList());
        if (waiting.isEmpty()) {
            suppress();
        }
    }

    public synchronized void update(TaskStatus status) {
        acknowledge(status);
        String taskId = status.getTaskId().getValue();
        unanswered.remove(taskId);
        if (TaskOutcome.isTerminal(status.getState())) {
            killsSent.remove(taskId);
        }
        Optional<TaskNames.Parsed> name = TaskNames.parse(taskId);
        ActiveRun active = name.map(n -> runs.get(n.runId())).orElse(null);
        if (active == null || active.attempt != name.get().attempt()) {
            // Mesos runs a task we do not know (a run that ended, an older attempt): it must not keep resources.
            if (!TaskOutcome.isTerminal(status.getState())) {
                kill(status.getTaskId(), status.getAgentId());
            }
            return;
        }
        active.states.put(taskId, status.getState());
        if (TaskNames.CASSANDRA.equals(name.get().role())) {
            cassandraUpdate(active, status);
        } else if (TaskNames.TESTS.equals(name.get().role())) {
            testsUpdate(active, status);
        }
        if (TaskOutcome.isInfrastructureLoss(status.getState()) && active.verdict == null) {
            lost(active, TaskOutcome.describe(status));
        }
        finishIfAllEnded(active);
    }

    /** An agent was removed: its tasks are lost; Mesos also sends their updates, this only speeds things up. */
    public synchronized void agentRemoved(AgentID agent) {
        for (ActiveRun active : List.copyOf(runs.values())) {
            if (agent.equals(active.agent) && active.verdict == null) {
                lost(active, "agent " + agent.getValue() + " was removed");
                active.states.replaceAll((k, v) -> TaskOutcome.isTerminal(v) ? v : TaskState.TASK_GONE);
                finishIfAllEnded(active);
            }
        }
    }

    /** Periodic implicit reconciliation: the master reports every task it knows for us. */
    public synchronized void reconcileImplicitly() {
        send(Call.newBuilder().setType(Call.Type.RECONCILE).setReconcile(Call.Reconcile.newBuilder()));
    }

    // ---- the work ------------------------------------------------------------------------------------------------

    private void launchOn(List<OfferMatcher.Match> matches) {
        Offer offer = matches.get(0).offer();
        // No long filter on what is left of an accepted offer: it may fit the next waiting run (Mesos' default, 5 s).
        Call.Accept.Builder accept = Call.Accept.newBuilder().addOfferIds(offer.getId());
        for (OfferMatcher.Match match : matches) {
            ActiveRun active = runs.get(match.runId());
            TaskGroupFactory.Launch launch = tasks.build(active.run, active.clone.volumeName(),
                    new TaskGroupFactory.Placement(frameworkId, offer.getAgentId(), match.cqlPort(),
                            match.storagePort(), active.attempt));
            accept.addOperations(Offer.Operation.newBuilder()
                    .setType(Offer.Operation.Type.LAUNCH_GROUP)
                    .setLaunchGroup(Offer.Operation.LaunchGroup.newBuilder()
                            .setExecutor(launch.executor()).setTaskGroup(launch.group())));
            waiting.remove(active.run.id());
            active.agent = offer.getAgentId();
            active.agentUrl = agentUrl(offer);
            active.launchedAt = clock.instant();
            launch.group().getTasksList().forEach(t -> active.states.put(t.getTaskId().getValue(),
                    TaskState.TASK_STAGING));
            // Recorded before the ACCEPT leaves: a scheduler that dies right after knows which tasks to ask about.
            active.listener.onPlaced(new Placement(offer.getAgentId().getValue(), offer.getHostname(),
                    active.attempt, active.agentUrl));
        }
        send(Call.newBuilder().setType(Call.Type.ACCEPT).setAccept(accept));
    }

    /** {@code http://10.0.3.7:5051} from the offer's {@code url} (mesos.proto Offer.url), or null without one. */
    static String agentUrl(Offer offer) {
        if (!offer.hasUrl() || !offer.getUrl().hasAddress()) {
            return null;
        }
        org.apache.mesos.v1.Protos.Address address = offer.getUrl().getAddress();
        String host = address.hasIp() ? address.getIp() : address.getHostname();
        String scheme = offer.getUrl().getScheme().isEmpty() ? "http" : offer.getUrl().getScheme();
        return scheme + "://" + host + ":" + address.getPort();
    }

    /** The tests task ended on its own: read the report it left (test counts, which tests failed). */
    private void fetchReport(ActiveRun active, TaskStatus status) {
        if (active.report == null && frameworkId != null) {
            active.report = reports.fetch(active.agentUrl, frameworkId.getValue(),
                    TaskNames.id(active.run.id(), TaskNames.EXECUTOR, active.attempt), status.getTaskId().getValue());
        }
    }

    private void cassandraUpdate(ActiveRun active, TaskStatus status) {
        switch (status.getState()) {
            case TASK_STARTING, TASK_RUNNING -> {
                active.phase(Phase.STARTING_CASSANDRA, "Cassandra task " + status.getState());
                if (status.hasCheckStatus() && status.getCheckStatus().hasTcp()
                        && status.getCheckStatus().getTcp().getSucceeded() && !active.cassandraReady) {
                    active.cassandraReady = true;
                    long millis = Duration.between(active.launchedAt, clock.instant()).toMillis();
                    active.listener.onCassandraReady(millis);
                    active.phase(Phase.TESTING, "Cassandra answers on its CQL port; the tests run");
                }
            }
            case TASK_FINISHED, TASK_FAILED, TASK_KILLED -> {
                if (active.verdict == null) {
                    active.verdict(Phase.ERROR, null, "The Cassandra task ended before the tests did: "
                            + TaskOutcome.describe(status) + ". Look at its log (snapci logs --task cassandra).");
                    killLiveTasks(active);
                }
            }
            default -> {
            }
        }
    }

    private void testsUpdate(ActiveRun active, TaskStatus status) {
        switch (status.getState()) {
            case TASK_FINISHED -> {
                fetchReport(active, status);
                active.verdict(Phase.PASSED, 0, "Tests passed.");
                killLiveTasks(active);  // the default executor does not stop Cassandra when tests exit 0
            }
            case TASK_FAILED -> {
                fetchReport(active, status);
                int exit = TaskOutcome.exitStatus(status).orElse(1);
                if (exit == TESTS_TASK_INFRASTRUCTURE_EXIT) {
                    active.verdict(Phase.ERROR, exit, "The tests could not run: " + TaskOutcome.describe(status)
                            + ". See the tests task's log.");
                } else {
                    active.verdict(Phase.FAILED, exit, "Tests failed (exit " + exit + ").");
                }
                killLiveTasks(active);
            }
            case TASK_KILLED -> {
                if (active.verdict == null) {
                    active.verdict(active.cancelling ? Phase.CANCELLED : Phase.ERROR, null,
                            "The tests task was killed: " + TaskOutcome.describe(status));
                    killLiveTasks(active);
                }
            }
            default -> {
            }
        }
    }

    /** An infrastructure loss: kill what is left of this attempt and try another agent, a bounded number of times. */
    private void lost(ActiveRun active, String why) {
        if (active.cancelling) {
            active.verdict(Phase.CANCELLED, null, "cancelled");
            killLiveTasks(active);
            return;
        }
        killLiveTasks(active);
        if (active.attempt >= timing.maxAttempts()) {
            active.verdict(Phase.ERROR, null, "The run was lost " + timing.maxAttempts() + " times (last: " + why
                    + "). The cluster is unhealthy: check the agents of the CI tier.");
            return;
        }
        log.accept("run " + active.run.id() + " attempt " + active.attempt + " lost (" + why + "); trying another agent");
        active.retry = true;
    }

    private void finishIfAllEnded(ActiveRun active) {
        if (!active.states.values().stream().allMatch(MesosLauncher::endedForThisAttempt)) {
            return;
        }
        if (active.retry) {
            active.retry = false;
            active.attempt++;
            active.states.clear();
            active.agent = null;
            active.cassandraReady = false;
            active.stagingGivenUp = false;
            active.report = null;
            active.launchedAt = clock.instant();
            matcher.released(active.run.id());
            active.phase(Phase.PLACING, "attempt " + active.attempt + " on another agent");
            waiting.add(active.run.id());
            reviveIfNeeded();
            return;
        }
        if (active.verdict != null) {
            finish(active, new ExecutionResult(active.verdict, active.message, active.exitCode, null,
                    null, null, null, null));
        }
    }

    /**
     * Terminal, or unreachable: a partitioned agent may come back, but a CI run does not wait for it — its tasks of
     * this attempt are killed when they reappear (they are then tasks of no live attempt).
     */
    private static boolean endedForThisAttempt(TaskState state) {
        return TaskOutcome.isTerminal(state) || state == TaskState.TASK_UNREACHABLE;
    }

    private void finish(ActiveRun active, ExecutionResult result) {
        matcher.released(active.run.id());
        runs.remove(active.run.id());
        waiting.remove(active.run.id());
        if (active.report == null) {
            active.result.complete(result);
            return;
        }
        active.report.completeOnTimeout(Optional.empty(), REPORT_WAIT.toMillis(), TimeUnit.MILLISECONDS)
                .exceptionally(e -> Optional.empty())
                .thenAccept(report -> active.result.complete(withReport(result, report)));
    }

    /** The tests task's own words for the verdict, and its counts; the verdict itself stays the exit status's. */
    static ExecutionResult withReport(ExecutionResult result, Optional<TestsTaskReport> report) {
        if (report.isEmpty()) {
            return result;
        }
        TestsTaskReport said = report.get();
        String message = result.outcome() != Phase.PASSED && said.message() != null ? said.message()
                : result.message();
        return new ExecutionResult(result.outcome(), message, result.testExitCode(), said.tests(),
                result.cassandraReadyMillis(), null, null, null);
    }

    private void killLiveTasks(ActiveRun active) {
        if (active.agent == null) {
            return;
        }
        active.states.forEach((taskId, state) -> {
            if (!TaskOutcome.isTerminal(state)) {
                kill(TaskID.newBuilder().setValue(taskId).build(), active.agent);
            }
        });
    }

    private void reconcileLaunched() {
        for (ActiveRun active : runs.values()) {
            if (active.agent == null) {
                continue;
            }
            active.states.forEach((taskId, state) -> {
                if (!TaskOutcome.isTerminal(state)) {
                    unanswered.put(taskId, active.agent);
                }
            });
        }
        sendReconcile();
    }

    /**
     * Asks about every task not yet answered for. Mesos' reconciliation guide: repeat with growing intervals until
     * every task has had an update, because the master may drop the request or answer only some tasks.
     */
    private void sendReconcile() {
        if (unanswered.isEmpty()) {
            nextReconcile = Instant.MAX;
            return;
        }
        Call.Reconcile.Builder reconcile = Call.Reconcile.newBuilder();
        unanswered.forEach((taskId, agent) -> reconcile.addTasks(Call.Reconcile.Task.newBuilder()
                .setTaskId(TaskID.newBuilder().setValue(taskId)).setAgentId(agent)));
        send(Call.newBuilder().setType(Call.Type.RECONCILE).setReconcile(reconcile));
        nextReconcile = clock.instant().plus(reconcileWait);
        reconcileWait = reconcileWait.multipliedBy(2).compareTo(timing.reconcileMax()) > 0 ? timing.reconcileMax()
                : reconcileWait.multipliedBy(2);
    }

    /**
     * Called every second or so: repeats unanswered reconciliation, sends a REVIVE that was held back by the rate
     * limit, repeats KILLs that were not obeyed, and gives up on tasks stuck in staging (killing them and trying the run on another agent).
     */
    public synchronized void tick() {
        if (frameworkId == null) {
            return;
        }
        Instant now = clock.instant();
        if (!now.isBefore(nextReconcile)) {
            sendReconcile();
        }
        if (reviveWanted && !waiting.isEmpty()) {
            reviveIfNeeded();
        }
        for (Map.Entry<String, Instant> kill : List.copyOf(killsSent.entrySet())) {
            if (!now.isBefore(kill.getValue().plus(timing.killRetryInterval()))) {
                TaskNames.parse(kill.getKey()).map(n -> runs.get(n.runId())).ifPresentOrElse(
                        active -> kill(TaskID.newBuilder().setValue(kill.getKey()).build(), active.agent),
                        () -> killsSent.remove(kill.getKey()));
            }
        }
        for (ActiveRun active : List.copyOf(runs.values())) {
            boolean stuck = active.agent != null && !active.stagingGivenUp
                    && active.states.containsValue(TaskState.TASK_STAGING)
                    && !now.isBefore(active.launchedAt.plus(timing.stagingTimeout()));
            if (stuck) {
                active.stagingGivenUp = true;
                lost(active, "its tasks were still staging after " + timing.stagingTimeout().toSeconds()
                        + " s (image pull or volume mount stuck?)");
            }
        }
    }

    private void acknowledge(TaskStatus status) {
        if (status.hasUuid() && status.hasAgentId()) {
            send(Call.newBuilder().setType(Call.Type.ACKNOWLEDGE).setAcknowledge(Call.Acknowledge.newBuilder()
                    .setAgentId(status.getAgentId()).setTaskId(status.getTaskId()).setUuid(status.getUuid())));
        }
    }

    private void kill(TaskID task, AgentID agent) {
        killsSent.put(task.getValue(), clock.instant());
        Call.Kill.Builder kill = Call.Kill.newBuilder().setTaskId(task);
        if (agent != null && !agent.getValue().isEmpty()) {
            kill.setAgentId(agent);
        }
        send(Call.newBuilder().setType(Call.Type.KILL).setKill(kill));
    }

    private void decline(List<OfferID> offers) {
        if (!offers.isEmpty()) {
            send(Call.newBuilder().setType(Call.Type.DECLINE).setDecline(Call.Decline.newBuilder()
                    .addAllOfferIds(offers).setFilters(Filters.newBuilder().setRefuseSeconds(DECLINE_REFUSE_SECONDS))));
        }
    }

    private void suppress() {
        if (!suppressed && frameworkId != null) {
            send(Call.newBuilder().setType(Call.Type.SUPPRESS).setSuppress(Call.Suppress.newBuilder()));
            suppressed = true;
        }
    }

    private void reviveIfNeeded() {
        if (frameworkId == null) {
            return;  // the coming SUBSCRIBE brings offers
        }
        Instant now = clock.instant();
        if (suppressed || !now.isBefore(lastRevive.plus(timing.minReviveInterval()))) {
            send(Call.newBuilder().setType(Call.Type.REVIVE).setRevive(Call.Revive.newBuilder()));
            suppressed = false;
            reviveWanted = false;
            lastRevive = now;
        } else {
            reviveWanted = true;  // sent by tick() once the interval has passed
        }
    }

    private void send(Call.Builder call) {
        if (frameworkId != null) {
            call.setFrameworkId(frameworkId);
        }
        try {
            calls.send(call.build());
        } catch (Exception e) {
            // The transport reconnects and the next subscription reconciles: nothing is lost by logging here.
            log.accept(call.getType() + " failed: " + e.getMessage());
        }
    }

    /** A run this launcher owns, from launch until its future completes. */
    private final class ActiveRun {
        final RunStatus run;
        final Clone clone;
        final LaunchListener listener;
        final CompletableFuture<ExecutionResult> result = new CompletableFuture<>();
        final Map<String, TaskState> states = new LinkedHashMap<>();
        Instant launchedAt = clock.instant();
        int attempt = 1;
        AgentID agent;
        boolean cassandraReady;
        boolean cancelling;
        boolean retry;
        boolean stagingGivenUp;
        String agentUrl;
        CompletableFuture<Optional<TestsTaskReport>> report;
        Phase verdict;
        Integer exitCode;
        String message;
        Phase reported;

        ActiveRun(RunStatus run, Clone clone, LaunchListener listener) {
            this.run = run;
            this.clone = clone;
            this.listener = listener;
        }

        void verdict(Phase phase, Integer exit, String text) {
            if (verdict == null) {
                verdict = phase;
                exitCode = exit;
                message = text;
            }
        }

        void phase(Phase phase, String note) {
            if (reported != phase) {
                reported = phase;
                listener.onPhase(phase, note);
            }
        }
    }

    /** For tests and the debug endpoint: the tasks of a run's current attempt and their last known state. */
    public synchronized Map<String, TaskState> taskStates(String runId) {
        ActiveRun active = runs.get(runId);
        return active == null ? Map.of() : Map.copyOf(active.states);
    }
}
