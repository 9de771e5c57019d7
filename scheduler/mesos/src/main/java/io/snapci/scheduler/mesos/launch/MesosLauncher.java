package io.snapci.scheduler.mesos.launch;

import io.snapci.model.ExecutionResult;
import io.snapci.model.Phase;
import io.snapci.model.Placement;
import io.snapci.model.RunStatus;
import io.snapci.model.tasks.TestsTaskReport;
import io.snapci.scheduler.core.launch.LaunchListener;
import io.snapci.scheduler.core.launch.Launcher;
import io.snapci.scheduler.core.state.FrameworkIdStore;
import io.snapci.scheduler.core.storage.Clone;
import org.apache.mesos.v1.Protos.AgentID;
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
 * Runs executions as Mesos task groups: the {@link Launcher} seam over the master's events. It keeps the runs
 * waiting for offers and those launched, and hands each job to its own class, as dcos-commons splits its scheduler:
 * {@link OfferAccepter} (ACCEPT / DECLINE), {@link VerdictRules} (what a status update means for a run),
 * {@link TaskKiller} (KILLs until obeyed), {@link Reconciler} (explicit and implicit reconciliation) and
 * {@link ReviveManager} (SUPPRESS / REVIVE). What is left here is the life of a run: an infrastructure loss sends it
 * to another agent (a bounded number of times), and its future completes once every task of its last attempt ended.
 *
 * <p>A status update is acknowledged only after it was handled: the phase changes it causes are stored by the run
 * service before the ACKNOWLEDGE leaves, and if storing fails the update stays unacknowledged (the agent resends it
 * until it is, src/slave/task_status_update_manager.cpp), so a restarted scheduler hears it again.
 *
 * <p>Its event methods ({@link #subscribed}, {@link #offers}, {@link #update}, ...) are called by the transport on
 * one thread, in the order the master sent the events; {@link #launch} and {@link #cancel} come from run threads.
 * Everything is guarded by this object's lock; the job classes are used only under it.
 */
public final class MesosLauncher implements Launcher {

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

        /**
         * The launcher's own waits (not settings: they follow from how Mesos behaves) with the configured number of
         * attempts.
         */
        public static Timing standard(int maxAttempts) {
            return standard(maxAttempts, Duration.ofMinutes(10));
        }

        /** As {@link #standard(int)}, with how long tasks may take to start (large images pull for long). */
        public static Timing standard(int maxAttempts, Duration stagingTimeout) {
            return new Timing(stagingTimeout, Duration.ofSeconds(30), Duration.ofSeconds(5),
                    Duration.ofMinutes(5), Duration.ofSeconds(5), maxAttempts);
        }

        public Timing {
            if (maxAttempts < 1) {
                throw new IllegalArgumentException("maxAttempts must be at least 1, got " + maxAttempts);
            }
        }
    }

    private final OfferMatcher matcher;
    private final FrameworkIdStore frameworkIds;
    private final Clock clock;
    private final Consumer<String> log;
    private final Timing timing;
    private final TestsReports reports;
    private final FrameworkCalls calls;
    private final OfferAccepter accepter;
    private final VerdictRules verdicts;
    private final TaskKiller killer;
    private final Reconciler reconciler;
    private final ReviveManager revives;

    private final NodeLogs nodeLogs;
    private final MaskingWatch masking = new MaskingWatch();

    private final Map<String, RunAttempt> runs = new LinkedHashMap<>();
    private final Set<String> waiting = new LinkedHashSet<>();

    /** @param reports where the report a tests task leaves in its sandbox is read from */
    public MesosLauncher(CallSender sender, OfferMatcher matcher, TaskGroupFactory tasks, FrameworkIdStore frameworkIds,
                         Clock clock, Consumer<String> log, Timing timing, TestsReports reports) {
        this(sender, matcher, tasks, frameworkIds, clock, log, timing, reports, NodeLogs.NONE);
    }

    /** @param nodeLogs where a masked run's cassandra task tells its masking (its stdout, read from the agent) */
    public MesosLauncher(CallSender sender, OfferMatcher matcher, TaskGroupFactory tasks, FrameworkIdStore frameworkIds,
                         Clock clock, Consumer<String> log, Timing timing, TestsReports reports, NodeLogs nodeLogs) {
        this.nodeLogs = nodeLogs;
        this.matcher = matcher;
        this.frameworkIds = frameworkIds;
        this.clock = clock;
        this.log = log;
        this.timing = timing;
        this.reports = reports;
        this.calls = new FrameworkCalls(sender, log);
        this.accepter = new OfferAccepter(calls, tasks, clock);
        this.killer = new TaskKiller(calls, clock, timing.killRetryInterval());
        this.reconciler = new Reconciler(calls, clock, timing.reconcileMin(), timing.reconcileMax());
        this.revives = new ReviveManager(calls, clock, timing.minReviveInterval());
        this.verdicts = new VerdictRules(clock, new VerdictRules.Actions() {
            @Override
            public void killLiveTasks(RunAttempt attempt) {
                MesosLauncher.this.killLiveTasks(attempt);
            }

            @Override
            public void fetchReport(RunAttempt attempt, TaskStatus status) {
                MesosLauncher.this.fetchReport(attempt, status);
            }

            @Override
            public void lost(RunAttempt attempt, String why) {
                MesosLauncher.this.lost(attempt, why);
            }
        });
    }

    // ---- the Launcher seam -------------------------------------------------------------------------------------

    @Override
    public synchronized CompletableFuture<ExecutionResult> launch(RunStatus run, Clone clone, LaunchListener listener) {
        if (clone.volumeName() == null) {
            return CompletableFuture.completedFuture(ExecutionResult.error("The copy " + clone.id() + " has no "
                    + "volume name: Mesos runs need a cluster storage driver (Portworx), not the local one."));
        }
        RunAttempt attempt = new RunAttempt(run, clone, listener, clock.instant());
        runs.put(run.id(), attempt);
        waiting.add(run.id());
        revives.runsWaiting();
        return attempt.result;
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
        RunAttempt attempt = new RunAttempt(run, clone, listener, clock.instant());
        runs.put(run.id(), attempt);
        Placement placed = run.placement();
        attempt.alreadyIn(run.phase());
        if (placed == null) {
            waiting.add(run.id());
            revives.runsWaiting();
            return attempt.result;
        }
        attempt.attempt = placed.attempt();
        attempt.agent = AgentID.newBuilder().setValue(placed.agentId()).build();
        attempt.agentUrl = placed.agentUrl();
        attempt.cassandraReady = run.cassandraReadyMillis() != null;
        for (String role : List.of(TaskNames.CASSANDRA, TaskNames.TESTS)) {
            attempt.states.put(TaskNames.id(run.id(), role, placed.attempt()), TaskState.TASK_STAGING);
        }
        log.accept("took over run " + run.id() + " on " + placed.describe() + "; asking the master about its tasks");
        if (calls.subscribed()) {
            reconciler.ask(liveTasks(attempt));
        }
        return attempt.result;
    }

    @Override
    public synchronized void cancel(String runId) {
        RunAttempt attempt = runs.get(runId);
        if (attempt == null) {
            return;
        }
        attempt.cancelling = true;
        if (waiting.remove(runId)) {
            finish(attempt, ExecutionResult.cancelled("cancelled while waiting for resources"));
            return;
        }
        attempt.verdict(Phase.CANCELLED, null, "cancelled");
        killLiveTasks(attempt);
    }

    /** Runs waiting for an offer, in order (for a debug endpoint and tests). */
    public synchronized List<String> waitingRuns() {
        return List.copyOf(waiting);
    }

    /** The spec of a waiting run, for an offer matcher that needs what it asks for. */
    public synchronized Optional<RunStatus> run(String runId) {
        return Optional.ofNullable(runs.get(runId)).map(a -> a.run);
    }

    /** For tests and the debug endpoint: the tasks of a run's current attempt and their last known state. */
    public synchronized Map<String, TaskState> taskStates(String runId) {
        RunAttempt attempt = runs.get(runId);
        return attempt == null ? Map.of() : Map.copyOf(attempt.states);
    }

    // ---- events from the master ----------------------------------------------------------------------------------

    /** SUBSCRIBED: keep the framework id before anything uses it, then reconcile what we launched. */
    public synchronized void subscribed(FrameworkID id) {
        if (calls.frameworkId() == null || !calls.frameworkId().equals(id)) {
            frameworkIds.save(id.getValue());
        }
        calls.subscribedAs(id);
        revives.subscribed();
        Map<String, AgentID> live = new LinkedHashMap<>();
        runs.values().forEach(attempt -> live.putAll(liveTasks(attempt)));
        reconciler.subscribed(live);
        if (waiting.isEmpty()) {
            revives.noneWaiting();
        }
    }

    public synchronized void offers(List<Offer> offers) {
        if (waiting.isEmpty()) {
            accepter.decline(offers.stream().map(Offer::getId).toList());
            revives.noneWaiting();
            return;
        }
        OfferMatcher.Matches decision = matcher.match(List.copyOf(waiting), offers);
        Map<OfferID, List<OfferAccepter.Placed>> byOffer = new LinkedHashMap<>();
        Map<OfferID, Offer> offered = new LinkedHashMap<>();
        for (OfferMatcher.Match match : decision.matches()) {
            offered.put(match.offer().getId(), match.offer());
            byOffer.computeIfAbsent(match.offer().getId(), k -> new ArrayList<>())
                    .add(new OfferAccepter.Placed(runs.get(match.runId()), match));
            waiting.remove(match.runId());
        }
        byOffer.forEach((offerId, placed) -> accepter.accept(offered.get(offerId), placed));
        accepter.decline(decision.declined().stream().map(OfferMatcher.Declined::offerId).toList());
        if (waiting.isEmpty()) {
            revives.noneWaiting();
        }
    }

    /**
     * A status update: handled first (phases stored by the run service), acknowledged after. A failure to handle it
     * propagates and leaves it unacknowledged.
     */
    public synchronized void update(TaskStatus status) {
        String taskId = status.getTaskId().getValue();
        reconciler.answered(taskId);
        if (TaskOutcome.isTerminal(status.getState())) {
            killer.ended(taskId);
        }
        Optional<TaskNames.Parsed> name = TaskNames.parse(taskId);
        RunAttempt attempt = name.map(n -> runs.get(n.runId())).orElse(null);
        if (attempt == null || attempt.attempt != name.get().attempt()) {
            // Mesos runs a task we do not know (a run that ended, an older attempt): it must not keep resources.
            if (!TaskOutcome.isTerminal(status.getState())) {
                killer.kill(status.getTaskId(), status.getAgentId());
            }
        } else {
            attempt.record(status);
            if (TaskNames.CASSANDRA.equals(name.get().role())) {
                verdicts.cassandra(attempt, status);
            } else if (TaskNames.TESTS.equals(name.get().role())) {
                verdicts.tests(attempt, status);
            }
            if (TaskOutcome.isInfrastructureLoss(status.getState()) && attempt.verdict == null && !attempt.retry) {
                lost(attempt, TaskOutcome.describe(status));
            }
            finishIfAllEnded(attempt);
        }
        acknowledge(status);
    }

    /** An agent was removed: its tasks are lost; Mesos also sends their updates, this only speeds things up. */
    public synchronized void agentRemoved(AgentID agent) {
        for (RunAttempt attempt : List.copyOf(runs.values())) {
            if (agent.equals(attempt.agent) && attempt.verdict == null) {
                lost(attempt, "agent " + agent.getValue() + " was removed");
                attempt.states.replaceAll((k, v) -> TaskOutcome.isTerminal(v) ? v : TaskState.TASK_GONE);
                finishIfAllEnded(attempt);
            }
        }
    }

    /** Periodic implicit reconciliation: the master reports every task it knows for us. */
    public synchronized void reconcileImplicitly() {
        reconciler.implicitly();
    }

    /**
     * Called every second or so: repeats unanswered reconciliation, sends a REVIVE that was held back, repeats KILLs
     * that were not obeyed, and gives up on tasks stuck in staging (killing them and trying the run on another agent).
     */
    public synchronized void tick() {
        if (!calls.subscribed()) {
            return;
        }
        Instant now = clock.instant();
        reconciler.tick();
        revives.tick(!waiting.isEmpty());
        killer.tick(taskId -> TaskNames.parse(taskId).map(n -> runs.get(n.runId())).map(a -> a.agent));
        for (RunAttempt attempt : List.copyOf(runs.values())) {
            followMasking(attempt);
            // The default executor sends TASK_STARTING before it pulls images, fetches and mounts, and TASK_RUNNING
            // only once every task of the group launched (src/launcher/default_executor.cpp): stuck in either
            // STAGING or STARTING, the agent will not get there.
            boolean notStarted = attempt.states.containsValue(TaskState.TASK_STAGING)
                    || attempt.states.containsValue(TaskState.TASK_STARTING);
            boolean stuck = attempt.agent != null && !attempt.stuckGivenUp && attempt.verdict == null && notStarted
                    && !now.isBefore(attempt.launchedAt.plus(timing.stagingTimeout()));
            if (stuck) {
                attempt.stuckGivenUp = true;
                lost(attempt, "its tasks had not started after " + timing.stagingTimeout().toSeconds()
                        + " s (image pull, fetch or volume mount stuck on " + attempt.agent.getValue() + "?)");
            }
        }
    }

    // ---- the life of a run ----------------------------------------------------------------------------------------

    /** A masked run's node is masking its copy: read what it has told since the last read (off this thread). */
    private void followMasking(RunAttempt attempt) {
        String cassandra = TaskNames.id(attempt.runId(), TaskNames.CASSANDRA, attempt.attempt);
        if (!masking.wants(attempt, cassandra)) {
            return;
        }
        long offset = masking.startReading(attempt);
        if (offset < 0) {
            return;
        }
        int number = attempt.attempt;
        nodeLogs.read(attempt.agentUrl, calls.frameworkId().getValue(),
                        TaskNames.id(attempt.runId(), TaskNames.EXECUTOR, number), cassandra, offset)
                .whenComplete((text, failure) -> {
                    synchronized (MesosLauncher.this) {
                        masking.read(attempt, number, failure == null ? text.orElse(null) : null);
                    }
                });
    }

    /** The tests task ended on its own: read the report it left (test counts, which tests failed). */
    private void fetchReport(RunAttempt attempt, TaskStatus status) {
        if (attempt.report == null && calls.subscribed()) {
            attempt.report = reports.fetch(attempt.agentUrl, calls.frameworkId().getValue(),
                    TaskNames.id(attempt.runId(), TaskNames.EXECUTOR, attempt.attempt), status.getTaskId().getValue());
        }
    }

    /** An infrastructure loss: kill what is left of this attempt and try another agent, a bounded number of times. */
    private void lost(RunAttempt attempt, String why) {
        if (attempt.cancelling) {
            attempt.verdict(Phase.CANCELLED, null, "cancelled");
            killLiveTasks(attempt);
            return;
        }
        killLiveTasks(attempt);
        if (!attempt.run.spec().mask().isEmpty() && attempt.running.contains(
                TaskNames.id(attempt.runId(), TaskNames.CASSANDRA, attempt.attempt))) {
            // Its node may have begun masking: a copy masked in part would be masked twice by another attempt (a
            // hash of a hash), which breaks the joins masking keeps. Not tried again.
            attempt.verdict(Phase.ERROR, null, "The run was lost while its copy may have been masked (" + why
                    + "); a copy masked in part is not given to another attempt. Run it again.");
            return;
        }
        if (attempt.attempt >= timing.maxAttempts()) {
            attempt.verdict(Phase.ERROR, null, "The run was lost " + timing.maxAttempts() + " times (last: " + why
                    + "). The cluster is unhealthy: check the agents of the CI tier.");
            return;
        }
        log.accept("run " + attempt.runId() + " attempt " + attempt.attempt + " lost (" + why
                + "); trying another agent");
        attempt.retry = true;
    }

    private void finishIfAllEnded(RunAttempt attempt) {
        if (!attempt.attemptEnded()) {
            return;
        }
        if (attempt.retry) {
            attempt.nextAttempt(clock.instant());
            attempt.listener.onNewAttempt(attempt.attempt);
            matcher.released(attempt.runId());
            attempt.phase(Phase.PLACING, "attempt " + attempt.attempt + " on another agent");
            waiting.add(attempt.runId());
            revives.runsWaiting();
            return;
        }
        if (attempt.verdict != null) {
            finish(attempt, new ExecutionResult(attempt.verdict, attempt.message, attempt.exitCode, null,
                    null, null, null, null));
        }
    }

    private void finish(RunAttempt attempt, ExecutionResult result) {
        matcher.released(attempt.runId());
        runs.remove(attempt.runId());
        masking.forget(attempt.runId());
        waiting.remove(attempt.runId());
        if (attempt.report == null) {
            attempt.result.complete(result);
            return;
        }
        attempt.report.completeOnTimeout(Optional.empty(), REPORT_WAIT.toMillis(), TimeUnit.MILLISECONDS)
                .exceptionally(e -> Optional.empty())
                .thenAccept(report -> attempt.result.complete(withReport(result, report)));
    }

    /**
     * The tests task's own words for the verdict, and its counts; the verdict itself stays the exit status's. A
     * FAILED without a report is not the tests': a tests task that never ran snapci's code (a fetch that failed
     * ends "Command exited with status 1" too) leaves none.
     */
    static ExecutionResult withReport(ExecutionResult result, Optional<TestsTaskReport> report) {
        if (report.isEmpty()) {
            if (result.outcome() == Phase.FAILED) {
                return new ExecutionResult(Phase.ERROR, "The tests task ended with exit " + result.testExitCode()
                        + " but left no " + io.snapci.model.tasks.TestsTask.RESULT_FILE + ": snapci's tests task "
                        + "never ran (the executor bundle could not be fetched or started?) or its sandbox could not "
                        + "be read. See its log: snapci logs --task tests --stderr.", result.testExitCode(), null,
                        result.cassandraReadyMillis(), null, null, null);
            }
            return result;
        }
        TestsTaskReport said = report.get();
        String message = result.outcome() != Phase.PASSED && said.message() != null ? said.message()
                : result.message();
        return new ExecutionResult(result.outcome(), message, result.testExitCode(), said.tests(),
                result.cassandraReadyMillis(), null, null, null);
    }

    private void killLiveTasks(RunAttempt attempt) {
        if (attempt.agent != null) {
            liveTasks(attempt).forEach((taskId, agent) -> killer.kill(TaskID.newBuilder().setValue(taskId).build(),
                    agent));
        }
    }

    /** The attempt's tasks not known to have ended, with their agent. */
    private static Map<String, AgentID> liveTasks(RunAttempt attempt) {
        Map<String, AgentID> live = new LinkedHashMap<>();
        if (attempt.agent != null) {
            attempt.states.forEach((taskId, state) -> {
                if (!TaskOutcome.isTerminal(state)) {
                    live.put(taskId, attempt.agent);
                }
            });
        }
        return live;
    }

    private void acknowledge(TaskStatus status) {
        if (status.hasUuid() && status.hasAgentId()) {
            calls.send(Call.newBuilder().setType(Call.Type.ACKNOWLEDGE).setAcknowledge(Call.Acknowledge.newBuilder()
                    .setAgentId(status.getAgentId()).setTaskId(status.getTaskId()).setUuid(status.getUuid())));
        }
    }
}
