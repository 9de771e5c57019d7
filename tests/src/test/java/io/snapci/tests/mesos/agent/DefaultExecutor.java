package io.snapci.tests.mesos.agent;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.v1.Protos.CheckInfo;
import org.apache.mesos.v1.Protos.CheckStatusInfo;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.apache.mesos.v1.Protos.ContainerID;
import org.apache.mesos.v1.Protos.ContainerStatus;
import org.apache.mesos.v1.Protos.Environment;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.KillPolicy;
import org.apache.mesos.v1.Protos.TaskGroupInfo;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskResourceLimitation;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;

/**
 * Mesos' default executor ({@code src/launcher/default_executor.cpp} of mesos 1.11.0, "DE" below), one per executor
 * container, running on its agent's thread:
 * <ul>
 *   <li>LAUNCH_GROUP: for each task, in group order, TASK_STARTING and then LAUNCH_CONTAINER (DE:447-544) — so
 *       every task is STARTING before anything is fetched or started; the command's environment gets
 *       {@code MESOS_CONTAINER_IP} and {@code MESOS_ALLOCATION_ROLE} (DE:528-541);</li>
 *   <li>once every launch has answered (DE:546-552), for each launched task: its check, its max completion timer,
 *       the {@code tasks/<taskId>} link to its sandbox, TASK_RUNNING (DE:583-680); a task whose launch failed gets no
 *       TASK_RUNNING (DE:594-600); then every container is waited on;</li>
 *   <li>a container's end becomes the task's terminal update (DE:877-961): "Command exited with status N",
 *       "Command terminated with signal ...", TASK_KILLED when it was being killed, the launch error when it never
 *       had a process; a limitation's state, reason and message (appended after ": ") and limitation win;</li>
 *   <li>the group's restart policy: a task ending TASK_FAILED or TASK_KILLED gets the group's other tasks killed,
 *       TASK_FINISHED does not (DE:987-1030);</li>
 *   <li>kill: TASK_KILLING if the framework has TASK_KILLING_STATE, SIGTERM, SIGKILL after the grace period — the
 *       KILL's kill policy, else the task's, else 3 s; group kills always use 3 s (DE:1120-1319); a kill of a
 *       container that has not launched yet is dropped (DE:1124-1128);</li>
 *   <li>TCP checks ({@link TcpChecker}): every status of a checked task carries an empty {@code check_status} of its
 *       type (DE:1474-1500); a changed result is sent as a copy of the last status with reason
 *       REASON_TASK_CHECK_STATUS_UPDATED (DE:1337-1380);</li>
 *   <li>with no container left the executor exits (status 0; DE:1035-1038, 1100-1113).</li>
 * </ul>
 * Every status: source SOURCE_EXECUTOR, the executor's id, {@code container_status.container_id} of the task's
 * container (DE:1440-1507). Not modelled: health checks and COMMAND/HTTP checks (snapci uses neither; such a task
 * runs unchecked), reconnection to a restarted agent.
 */
final class DefaultExecutor {

    /** Where the executor's calls go: the agent. */
    interface Agent {
        void update(DefaultExecutor executor, TaskStatus status);

        void exited(DefaultExecutor executor, WaitStatus status);
    }

    private static final Duration DEFAULT_GRACE = Duration.ofSeconds(3); // DE:1164-1165

    /** DE's {@code Container}: one task of this executor. */
    final class Task {
        final TaskInfo info;
        final TaskGroupInfo group;
        final NestedContainer container;
        boolean launched;
        boolean killing;
        boolean killingTaskGroup;
        boolean killedByCompletionTimeout;
        String launchError;
        TaskStatus lastStatus;
        TcpChecker checker;
        ScheduledFuture<?> maxCompletionTimer;

        Task(TaskInfo info, TaskGroupInfo group, NestedContainer container) {
            this.info = info;
            this.group = group;
            this.container = container;
        }

        String id() {
            return info.getTaskId().getValue();
        }
    }

    private final ExecutorContainer executor;
    private final Containerizer containerizer;
    private final Agent agent;
    private final ScheduledExecutorService agentThread;
    private final Executor workers;
    private final String containerIp;
    private final Map<String, Task> tasks = new LinkedHashMap<>();
    /** Every container this executor launched, for the agent's memory accounting. */
    private final List<Task> all = new ArrayList<>();
    private boolean shuttingDown;
    private boolean terminated;
    /** The executor's own container was destroyed (a memory limit of its cgroup): it dies, killed. */
    private boolean destroyed;
    /** The largest memory use of the executor's cgroup measured so far (bytes). */
    long maxRssBytes;

    DefaultExecutor(ExecutorContainer executor, Containerizer containerizer, Agent agent,
            ScheduledExecutorService agentThread, Executor workers, String containerIp) {
        this.executor = executor;
        this.containerizer = containerizer;
        this.agent = agent;
        this.agentThread = agentThread;
        this.workers = workers;
        this.containerIp = containerIp;
    }

    ExecutorContainer container() {
        return executor;
    }

    boolean terminated() {
        return terminated;
    }

    /** The tasks whose containers are still this executor's (not yet waited on). */
    List<Task> active() {
        return List.copyOf(tasks.values());
    }

    List<Task> everLaunched() {
        return List.copyOf(all);
    }

    // ---- events from the agent -------------------------------------------------------------------------------

    void launchGroup(TaskGroupInfo group) {
        if (terminated || shuttingDown) {
            return;
        }
        List<Task> launching = new ArrayList<>();
        for (TaskInfo info : group.getTasksList()) {
            String containerId = UUID.randomUUID().toString();
            CommandInfo.Builder command = info.hasCommand() ? info.getCommand().toBuilder() : CommandInfo.newBuilder();
            Environment.Builder env = command.getEnvironmentBuilder();
            env.addVariables(Environment.Variable.newBuilder().setName("MESOS_CONTAINER_IP").setValue(containerIp));
            String role = info.getResourcesCount() == 0 ? "" : info.getResources(0).getAllocationInfo().getRole();
            env.addVariables(Environment.Variable.newBuilder().setName("MESOS_ALLOCATION_ROLE").setValue(role));
            NestedContainer container = containerizer.launch(executor, containerId, info, command.build());
            Task task = new Task(info, group, container);
            tasks.put(task.id(), task);
            all.add(task);
            launching.add(task);
            forward(task, status(task, TaskState.TASK_STARTING, null, null, null)); // DE:468-470
        }
        CompletableFuture.allOf(launching.stream().map(t -> t.container.launch).toArray(CompletableFuture[]::new))
                .thenRunAsync(() -> launched(launching), agentThread);
    }

    /** KILL from the scheduler (DE:1270-1319). */
    void killTask(String taskId, KillPolicy policy) {
        if (shuttingDown || terminated) {
            return;
        }
        Task task = tasks.get(taskId);
        if (task == null || task.killing) {
            return;
        }
        Duration grace = null;
        if (policy != null && policy.hasGracePeriod()) {
            grace = Duration.ofNanos(policy.getGracePeriod().getNanoseconds());
        } else if (task.info.hasKillPolicy() && task.info.getKillPolicy().hasGracePeriod()) {
            grace = Duration.ofNanos(task.info.getKillPolicy().getGracePeriod().getNanoseconds());
        }
        kill(task, grace);
    }

    /** SHUTDOWN (the framework is gone): every container killed with the default grace (DE:1041-1098). */
    void shutdown() {
        if (shuttingDown || terminated) {
            return;
        }
        shuttingDown = true;
        if (tasks.isEmpty()) {
            exit();
            return;
        }
        for (Task task : List.copyOf(tasks.values())) {
            if (!task.killing) {
                kill(task, null);
            }
        }
    }

    /**
     * The executor's container reached its memory limit: the containerizer destroys it, its task containers first
     * and with the same termination (containerizer.cpp:2724-2733), then the executor itself.
     */
    void containerLimited(Termination limitation) {
        if (destroyed || terminated) {
            return;
        }
        destroyed = true;
        for (Task task : all) {
            containerizer.destroy(task.container, limitation);
        }
        if (tasks.isEmpty()) {
            exit();
        }
    }

    /** The agent is gone with everything on it: no more updates. */
    void vanish() {
        terminated = true;
        tasks.values().forEach(this::stopTimers);
    }

    // ---- the executor's own steps ----------------------------------------------------------------------------

    private void launched(List<Task> launching) {
        if (terminated) {
            return;
        }
        for (Task task : launching) {
            NestedContainer.LaunchResult result = task.container.launch.join();
            if (!result.ok()) {
                task.launchError = result.error();
                continue;
            }
            task.launched = true;
            if (task.info.hasCheck() && task.info.getCheck().getType() == CheckInfo.Type.TCP) {
                task.checker = new TcpChecker(task.info.getCheck(), agentThread, workers,
                        check -> checkUpdated(task, check));
                task.checker.start();
            }
            if (task.info.hasMaxCompletionTime() && task.info.getMaxCompletionTime().getNanoseconds() > 0) {
                task.maxCompletionTimer = agentThread.schedule(() -> maxCompletion(task),
                        task.info.getMaxCompletionTime().getNanoseconds(), TimeUnit.NANOSECONDS);
            }
            linkTaskSandbox(task);
            forward(task, status(task, TaskState.TASK_RUNNING, null, null, null)); // DE:679
            if (shuttingDown) {
                kill(task, null); // it launched while the executor was being shut down
            }
        }
        for (Task task : launching) {
            task.container.termination.thenAcceptAsync(t -> waited(task, t), agentThread);
        }
    }

    /** DE:655-677: {@code tasks/<taskId>} → {@code <sandbox>/containers/<containerId>}, "for the Web UI". */
    private void linkTaskSandbox(Task task) {
        try {
            Path dir = executor.sandbox().resolve("tasks");
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir);
                UserAccount.lookup(executor.user()).ifPresent(u -> AgentPaths.chown(dir, u));
            }
            Path link = dir.resolve(task.id());
            Files.deleteIfExists(link);
            Files.createSymbolicLink(link, task.container.sandbox);
        } catch (IOException e) {
            throw new UncheckedIOException("DE:673-676 would abort: cannot link the task's sandbox", e);
        }
    }

    /** DE:798-1039. */
    private void waited(Task task, Termination termination) {
        if (terminated || !tasks.containsKey(task.id())) {
            return;
        }
        stopTimers(task);
        TaskState state;
        String message = null;
        TaskStatus.Reason reason = null;
        TaskResourceLimitation limitation = null;
        if (termination.status() == null) {
            if (task.killing) {
                state = TaskState.TASK_KILLED;
            } else {
                state = TaskState.TASK_FAILED;
                message = task.launchError != null ? task.launchError : "Command terminated with unknown status";
            }
        } else {
            WaitStatus status = termination.status();
            if (task.killedByCompletionTimeout) {
                state = TaskState.TASK_FAILED;
                reason = TaskStatus.Reason.REASON_MAX_COMPLETION_TIME_REACHED;
            } else if (task.killing) {
                state = TaskState.TASK_KILLED;
            } else if (status.succeeded()) {
                state = TaskState.TASK_FINISHED;
            } else {
                state = TaskState.TASK_FAILED;
            }
            message = "Command " + status.describe();
        }
        if (termination.state() != null) {
            state = termination.state();
        }
        if (termination.reason() != null) {
            reason = termination.reason();
        }
        if (termination.message() != null) {
            message = message == null ? termination.message() : message + ": " + termination.message();
        }
        if (!termination.limited().isEmpty()) {
            limitation = TaskResourceLimitation.newBuilder().addAllResources(termination.limited()).build();
        }
        forward(task, status(task, state, reason, message, limitation));

        if (!shuttingDown && !task.killingTaskGroup
                && (state == TaskState.TASK_FAILED || state == TaskState.TASK_KILLED)) {
            task.killingTaskGroup = true;
            for (TaskInfo other : task.group.getTasksList()) {
                Task sibling = tasks.get(other.getTaskId().getValue());
                if (sibling == null || sibling == task) {
                    continue;
                }
                sibling.killingTaskGroup = true;
                if (!sibling.killing) {
                    kill(sibling, null);
                }
            }
        }
        tasks.remove(task.id());
        if (tasks.isEmpty()) {
            exit();
        }
    }

    /** DE:1120-1207. */
    private void kill(Task task, Duration grace) {
        if (!task.launched) {
            return;
        }
        if (task.maxCompletionTimer != null) {
            task.maxCompletionTimer.cancel(false);
            task.maxCompletionTimer = null;
        }
        task.killing = true;
        if (task.checker != null) {
            task.checker.pause();
            task.checker = null;
        }
        Duration period = grace == null ? DEFAULT_GRACE : grace;
        agentThread.schedule(() -> escalated(task), period.toNanos(), TimeUnit.NANOSECONDS);
        if (!task.killedByCompletionTimeout
                && executor.framework().getCapabilitiesList().stream().anyMatch(c -> c.getType()
                        == FrameworkInfo.Capability.Type.TASK_KILLING_STATE)) {
            forward(task, status(task, TaskState.TASK_KILLING, null, null, null));
        }
        containerizer.kill(task.container, WaitStatus.SIGTERM);
    }

    /** DE:1234-1268: still there after the grace period: SIGKILL. */
    private void escalated(Task task) {
        if (terminated || !tasks.containsKey(task.id())) {
            return;
        }
        containerizer.kill(task.container, WaitStatus.SIGKILL);
    }

    /** DE:1321-1335. */
    private void maxCompletion(Task task) {
        if (terminated || !tasks.containsKey(task.id())) {
            return;
        }
        task.maxCompletionTimer = null;
        task.killedByCompletionTimeout = true;
        kill(task, Duration.ZERO);
    }

    /** DE:1337-1380. */
    private void checkUpdated(Task task, CheckStatusInfo check) {
        if (terminated || !tasks.containsKey(task.id()) || task.checker == null) {
            return;
        }
        forward(task, task.lastStatus.toBuilder().setUuid(uuid()).setTimestamp(now())
                .setReason(TaskStatus.Reason.REASON_TASK_CHECK_STATUS_UPDATED).setCheckStatus(check).build());
    }

    private void stopTimers(Task task) {
        if (task.checker != null) {
            task.checker.pause();
            task.checker = null;
        }
        if (task.maxCompletionTimer != null) {
            task.maxCompletionTimer.cancel(false);
            task.maxCompletionTimer = null;
        }
    }

    /** DE:1100-1118: the agent acknowledges updates as it receives them, so the executor exits at once. */
    private void exit() {
        if (terminated) {
            return;
        }
        terminated = true;
        agent.exited(this, destroyed ? WaitStatus.signaled(WaitStatus.SIGKILL) : WaitStatus.exitedWith(0));
    }

    private void forward(Task task, TaskStatus status) {
        task.lastStatus = status;
        agent.update(this, status);
    }

    /** DE:1440-1507. */
    private TaskStatus status(Task task, TaskState state, TaskStatus.Reason reason, String message,
            TaskResourceLimitation limitation) {
        TaskStatus.Builder status = TaskStatus.newBuilder()
                .setTaskId(task.info.getTaskId())
                .setState(state)
                .setUuid(uuid())
                .setTimestamp(now())
                .setExecutorId(executor.info().getExecutorId())
                .setSource(TaskStatus.Source.SOURCE_EXECUTOR);
        if (reason != null) {
            status.setReason(reason);
        }
        if (message != null) {
            status.setMessage(message);
        }
        if (limitation != null) {
            status.setLimitation(limitation);
        }
        if (task.info.hasCheck()) {
            CheckStatusInfo.Builder check = CheckStatusInfo.newBuilder().setType(task.info.getCheck().getType());
            switch (task.info.getCheck().getType()) {
                case COMMAND -> check.setCommand(CheckStatusInfo.Command.newBuilder());
                case HTTP -> check.setHttp(CheckStatusInfo.Http.newBuilder());
                case TCP -> check.setTcp(CheckStatusInfo.Tcp.newBuilder());
                default -> throw new IllegalStateException("UNKNOWN check type is invalid (DE:1493-1495)");
            }
            status.setCheckStatus(check);
        }
        status.setContainerStatus(ContainerStatus.newBuilder().setContainerId(ContainerID.newBuilder()
                .setValue(task.container.id).setParent(ContainerID.newBuilder().setValue(executor.containerId()))));
        return status.build();
    }

    private static double now() {
        return System.currentTimeMillis() / 1000.0;
    }

    private static ByteString uuid() {
        UUID u = UUID.randomUUID();
        return ByteString.copyFrom(ByteBuffer.allocate(16).putLong(u.getMostSignificantBits())
                .putLong(u.getLeastSignificantBits()).array());
    }
}
