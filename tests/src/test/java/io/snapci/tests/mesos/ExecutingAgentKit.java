package io.snapci.tests.mesos;

import io.snapci.tests.mesos.agent.AgentRuntime;
import io.snapci.tests.mesos.agent.ExecutingAgent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.apache.mesos.v1.Protos.Environment;
import org.apache.mesos.v1.Protos.ExecutorID;
import org.apache.mesos.v1.Protos.ExecutorInfo;
import org.apache.mesos.v1.Protos.Filters;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.Resource;
import org.apache.mesos.v1.Protos.TaskGroupInfo;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.Protos.Value;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A master peer with one executing agent and a {@link RawScheduler} subscribed to it, for the executing agent's
 * tests: task groups launched on the agent's offers, every status update acknowledged and kept per task (resends
 * counted once), FAILURE events kept.
 */
final class ExecutingAgentKit implements AutoCloseable {

    static final Duration WAIT = Duration.ofSeconds(20);
    static final String AGENT = "ci-1";
    static final String ROLE = "snapci";

    final MesosMasterPeer master;
    final RawScheduler scheduler;
    private final Map<String, List<TaskStatus>> updates = new LinkedHashMap<>();
    private final Set<com.google.protobuf.ByteString> seen = new HashSet<>();
    private final List<Event.Failure> failures = new ArrayList<>();
    private final List<Offer> offers = new ArrayList<>();
    private int executors;

    private ExecutingAgentKit(MesosMasterPeer master, RawScheduler scheduler) {
        this.master = master;
        this.scheduler = scheduler;
    }

    static ExecutingAgentKit start(AgentRuntime runtime) throws Exception {
        return start(runtime, RawScheduler.info());
    }

    static ExecutingAgentKit start(AgentRuntime runtime, FrameworkInfo.Builder framework) throws Exception {
        MesosMasterPeer master = MesosMasterPeer.start(PeerOptions.forTests());
        master.addAgent(AgentSpec.agent(AGENT).cpus(8).mem(4096).disk(10_000).ports(31000, 31099)
                .executing(runtime).build());
        RawScheduler scheduler = new RawScheduler(master.schedulerEndpoint());
        scheduler.subscribe(framework.build());
        return new ExecutingAgentKit(master, scheduler);
    }

    ExecutingAgent agent() {
        return master.executingAgent(AGENT).orElseThrow();
    }

    String frameworkId() {
        return scheduler.frameworkId.getValue();
    }

    /** A task running {@code sh -c <command>} with 0.1 cpus and {@code mem} MB. */
    static TaskInfo.Builder task(String id, String command, double mem) {
        return TaskInfo.newBuilder().setName(id).setTaskId(TaskID.newBuilder().setValue(id))
                .addResources(scalar("cpus", 0.1)).addResources(scalar("mem", mem))
                .setCommand(CommandInfo.newBuilder().setShell(true).setValue(command));
    }

    static TaskInfo.Builder task(String id, String command) {
        return task(id, command, 64);
    }

    static CommandInfo.Builder withEnv(CommandInfo.Builder command, String name, String value) {
        command.getEnvironmentBuilder().addVariables(Environment.Variable.newBuilder().setName(name).setValue(value));
        return command;
    }

    /** Launches the tasks as one group on the agent's next offer, under a new default executor. */
    String launch(TaskInfo.Builder... tasks) throws Exception {
        String executorId = "executor-" + (++executors);
        launch(executorId, 32, tasks);
        return executorId;
    }

    void launch(String executorId, double executorMem, TaskInfo.Builder... tasks) throws Exception {
        Offer offer = offer();
        ExecutorInfo executor = ExecutorInfo.newBuilder().setType(ExecutorInfo.Type.DEFAULT)
                .setExecutorId(ExecutorID.newBuilder().setValue(executorId))
                .setFrameworkId(scheduler.frameworkId)
                .addResources(scalar("cpus", 0.1)).addResources(scalar("mem", executorMem))
                .addResources(scalar("disk", 10)).build();
        TaskGroupInfo.Builder group = TaskGroupInfo.newBuilder();
        for (TaskInfo.Builder t : tasks) {
            group.addTasks(t.clone().setAgentId(offer.getAgentId()));
        }
        var response = scheduler.post(scheduler.call(Call.Type.ACCEPT).setAccept(Call.Accept.newBuilder()
                .addOfferIds(offer.getId()).setFilters(Filters.newBuilder().setRefuseSeconds(0))
                .addOperations(Offer.Operation.newBuilder().setType(Offer.Operation.Type.LAUNCH_GROUP)
                        .setLaunchGroup(Offer.Operation.LaunchGroup.newBuilder().setExecutor(executor)
                                .setTaskGroup(group)))).build());
        if (response.statusCode() != 202) {
            throw new AssertionError("ACCEPT answered " + response.statusCode() + ": " + response.body());
        }
    }

    /** The agent's HTTP address (its {@code /files} endpoints), from an offer's {@code url}. */
    java.net.URI agentUrl() throws Exception {
        Offer o = lastOffer != null ? lastOffer : offer();
        return java.net.URI.create("http://" + o.getUrl().getAddress().getIp() + ":" + o.getUrl().getAddress().getPort());
    }

    private Offer lastOffer;

    Offer offer() throws Exception {
        offers.clear();
        master.offerNow();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (offers.isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no offer within " + WAIT);
            }
            pump(Duration.ofMillis(100));
        }
        lastOffer = offers.get(offers.size() - 1);
        return lastOffer;
    }

    void kill(String taskId) throws Exception {
        scheduler.post(scheduler.call(Call.Type.KILL).setKill(Call.Kill.newBuilder()
                .setTaskId(TaskID.newBuilder().setValue(taskId))).build());
    }

    /** Every update of the task until (and with) its first terminal one. */
    List<TaskStatus> untilTerminal(String taskId) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            List<TaskStatus> so = updates.getOrDefault(taskId, List.of());
            Optional<TaskStatus> terminal = so.stream().filter(s -> TaskStates.isTerminal(s.getState())).findFirst();
            if (terminal.isPresent()) {
                return List.copyOf(so.subList(0, so.indexOf(terminal.get()) + 1));
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("task " + taskId + " did not end within " + WAIT + "; updates: "
                        + so.stream().map(s -> s.getState() + (s.hasMessage() ? " " + s.getMessage() : "")).toList());
            }
            pump(Duration.ofMillis(100));
        }
    }

    /** Kills the task, then every update of it until its terminal one. */
    List<TaskStatus> untilTerminalAfterKill(String taskId) throws Exception {
        kill(taskId);
        return untilTerminal(taskId);
    }

    /** The task failed as a launch fails: its updates are TASK_STARTING then TASK_FAILED (asserted); the last. */
    TaskStatus failedAfterStarting(String taskId) throws Exception {
        List<TaskStatus> all = untilTerminal(taskId);
        assertThat(all).extracting(TaskStatus::getState).containsExactly(TaskState.TASK_STARTING,
                TaskState.TASK_FAILED);
        return all.get(1);
    }

    TaskStatus terminal(String taskId) throws Exception {
        List<TaskStatus> all = untilTerminal(taskId);
        return all.get(all.size() - 1);
    }

    /** Waits until the task has an update matching {@code which}; returns it. */
    TaskStatus await(String taskId, java.util.function.Predicate<TaskStatus> which) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            Optional<TaskStatus> found = updates.getOrDefault(taskId, List.of()).stream().filter(which).findFirst();
            if (found.isPresent()) {
                return found.get();
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no such update for " + taskId + " within " + WAIT + "; updates: "
                        + updates.getOrDefault(taskId, List.of()).stream().map(TaskStatus::getState).toList());
            }
            pump(Duration.ofMillis(100));
        }
    }

    TaskStatus awaitState(String taskId, TaskState state) throws Exception {
        return await(taskId, s -> s.getState() == state);
    }

    List<TaskState> states(String taskId) {
        return updates.getOrDefault(taskId, List.of()).stream().map(TaskStatus::getState).toList();
    }

    /** The FAILURE event for this executor (the default executor exits when its last task ended). */
    Event.Failure awaitExecutorFailure(String executorId) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            Optional<Event.Failure> f = failures.stream().filter(x -> x.hasExecutorId()
                    && x.getExecutorId().getValue().equals(executorId)).findFirst();
            if (f.isPresent()) {
                return f.get();
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no FAILURE for executor " + executorId + " within " + WAIT);
            }
            pump(Duration.ofMillis(100));
        }
    }

    Path sandbox(String taskId) {
        return agent().sandbox(frameworkId(), taskId).orElseThrow();
    }

    /** Reads events for {@code time}: updates acknowledged and kept, offers and failures kept. */
    void pump(Duration time) throws Exception {
        long deadline = System.nanoTime() + time.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<Event> event = scheduler.poll(e -> true, Duration.ofMillis(20));
            if (event.isEmpty()) {
                continue;
            }
            Event e = event.get();
            switch (e.getType()) {
                case UPDATE -> {
                    TaskStatus status = e.getUpdate().getStatus();
                    if (status.hasUuid()) {
                        scheduler.ack(status);
                        if (!seen.add(status.getUuid())) {
                            continue; // a resend
                        }
                    }
                    updates.computeIfAbsent(status.getTaskId().getValue(), k -> new ArrayList<>()).add(status);
                }
                case OFFERS -> offers.addAll(e.getOffers().getOffersList());
                case FAILURE -> failures.add(e.getFailure());
                default -> {
                }
            }
        }
    }

    /** Whether the process exists and is not a zombie waiting for init to reap it. */
    static boolean alive(long pid) {
        try {
            String stat = java.nio.file.Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            char state = stat.substring(stat.lastIndexOf(')') + 2).charAt(0);
            return state != 'Z' && state != 'X';
        } catch (java.io.IOException e) {
            return false;
        }
    }

    static Resource scalar(String name, double value) {
        return Resource.newBuilder().setName(name).setType(Value.Type.SCALAR)
                .setScalar(Value.Scalar.newBuilder().setValue(value))
                .setAllocationInfo(Resource.AllocationInfo.newBuilder().setRole(ROLE)).build();
    }

    @Override
    public void close() {
        scheduler.close();
        master.close();
    }
}
