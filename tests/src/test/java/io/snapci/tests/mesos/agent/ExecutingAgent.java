package io.snapci.tests.mesos.agent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.ContainerStatus;
import org.apache.mesos.v1.Protos.ExecutorInfo;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.KillPolicy;
import org.apache.mesos.v1.Protos.NetworkInfo;
import org.apache.mesos.v1.Protos.TaskGroupInfo;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;

/**
 * A Mesos agent that really runs the task groups it is given, on this machine, with the default executor's rules
 * (mesos 1.11.0; the parts: {@link DefaultExecutor}, {@link Containerizer}, {@link Fetcher}, {@link DockerVolumes},
 * {@link TaskEnvironment}, {@link Exec}, {@link TcpChecker}, {@link MemoryLimit}). What a task gets:
 * <ul>
 *   <li>its own sandbox {@code <work>/slaves/<agent>/frameworks/<f>/executors/<e>/runs/<c>/containers/<task c>},
 *       mode 0750, owned by the task's user, with {@code runs/<c>/tasks/<taskId>} linking to it; the URIs fetched
 *       (and extracted) into it; its {@code stdout} and {@code stderr} there;</li>
 *   <li>the environment Mesos builds ({@link TaskEnvironment}) and nothing of the JVM's;</li>
 *   <li>cwd: its sandbox; with an image, the image's WorkingDir if it has one;</li>
 *   <li>its user: {@code CommandInfo.user}, else {@code FrameworkInfo.user}; the process really runs as that uid
 *       (this needs the tests to run as root, as an agent does); an unknown user fails the launch;</li>
 *   <li>the host's network: every task of every agent here shares it, so a port bound twice collides — give
 *       executing agents disjoint port ranges;</li>
 *   <li>a memory limit: the executor's cgroup (executor + its tasks' {@code mem}) or, with
 *       {@code share_cgroups: false}, the task's own; the resident memory of the container's processes is measured
 *       and a container over its limit is SIGKILLed with the isolator's limitation.</li>
 * </ul>
 *
 * <h2>Images and volumes without containers</h2>
 * A command runs on this machine's filesystem: an absolute path in it is this machine's path, not the image's —
 * {@code rm -rf /var/lib/cassandra/...} in a task is run against this host's {@code /var/lib/cassandra} (as the
 * task's user). Tasks meant for the peer address their files through {@code $MESOS_SANDBOX} and
 * {@code PEER_CONTAINER_ROOT}, as below.
 * Images cannot run here ({@link ImageCatalogue}): the command runs on the host. Paths <em>inside</em> the container —
 * the image's catalogued files, a docker volume at an absolute {@code container_path}, the image's WorkingDir — live
 * under a per-task directory that stands for the container's {@code /} ({@link ContainerRoot}); its host path is in
 * the task's environment as {@code PEER_CONTAINER_ROOT} (peer-only; on a real agent there is no such variable and the
 * container's {@code /} is {@code /}). Code meant to run in both places resolves a container path {@code p} as
 * {@code Path.of(System.getenv().getOrDefault("PEER_CONTAINER_ROOT", "/")).resolve(p.substring(1))}.
 *
 * <p>The better convention for a task's data is a <em>relative</em> {@code container_path}: Mesos mounts it at
 * {@code <sandbox>/<path>} without an image and at {@code <rootfs>/mnt/mesos/sandbox/<path>} with one
 * ({@code docker/volume/isolator.cpp:441-458}) — in both cases {@code $MESOS_SANDBOX/<path>} — and the peer links it
 * exactly there, so the task needs no peer-aware code at all. For snapci's cassandra task, which runs snapci's own
 * executor bundle: mount the clone at a relative path (say {@code cassandra-data}) and hand the bundle
 * {@code $MESOS_SANDBOX/cassandra-data}; find the image's Cassandra jars at {@code /opt/cassandra/lib} through
 * {@code PEER_CONTAINER_ROOT} as above. The volume is a symbolic link here (a bind mount on a real agent): resolve it
 * with {@code toRealPath()} before walking it.
 *
 * <h2>Lifecycle</h2>
 * {@link #crash()} is the machine dying: every process SIGKILLed, no update sent, volumes left mounted.
 * {@link #close()} kills everything the agent started, unmounts, and removes a temporary work directory (never
 * following a link into a volume). Not modelled: agent restarts and checkpointing, disk quotas
 * ({@code --enforce_container_disk_quota} is off by default), health checks, COMMAND/HTTP checks, plain LAUNCH
 * (command executor) tasks.
 */
public final class ExecutingAgent implements AutoCloseable {

    private final String agentId;
    private final AgentRuntime runtime;
    private final AgentListener listener;
    private final boolean temporaryWorkDir;
    private final AgentPaths paths;
    private final Fetcher fetcher;
    private final DockerVolumes volumes;
    private final Containerizer containerizer;
    private final ScheduledExecutorService thread;
    private final ExecutorService workers;
    private final Map<String, DefaultExecutor> executors = new LinkedHashMap<>();
    private final List<DefaultExecutor> allExecutors = new ArrayList<>();
    private boolean dead;

    public ExecutingAgent(String agentId, AgentRuntime runtime, AgentListener listener) {
        this.agentId = agentId;
        this.runtime = runtime;
        this.listener = listener;
        Exec.requireHostPrograms(); // setsid, setpriv, bash, id, tar, gzip: util-linux and coreutils
        this.temporaryWorkDir = runtime.workDir().isEmpty();
        Path workDir = runtime.workDir().orElseGet(ExecutingAgent::temporaryDirectory);
        try {
            Files.createDirectories(workDir);
            // task users other than the agent's must be able to reach their sandboxes (a real --work_dir is 0755)
            Files.setPosixFilePermissions(workDir, PosixFilePermissions.fromString("rwxr-xr-x"));
            workDir = workDir.toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the agent's work directory " + workDir, e);
        }
        this.paths = new AgentPaths(workDir, agentId);
        this.thread = Executors.newSingleThreadScheduledExecutor(daemon("mesos-peer-agent-" + agentId));
        this.workers = Executors.newCachedThreadPool(daemon("mesos-peer-agent-" + agentId + "-work"));
        this.fetcher = new Fetcher(paths.fetcherCache());
        this.volumes = new DockerVolumes(runtime.volumes());
        this.containerizer = new Containerizer(paths, runtime, fetcher, volumes, thread, workers);
        long every = runtime.memoryPollInterval().toNanos();
        thread.scheduleWithFixedDelay(this::watchMemory, every, every, TimeUnit.NANOSECONDS);
    }

    public String agentId() {
        return agentId;
    }

    public Path workDir() {
        return paths.workDir();
    }

    /** How many times the fetcher downloaded from a URI's source (cache hits are not downloads). */
    public int downloads() {
        return fetcher.downloads();
    }

    /**
     * RunTaskGroupMessage: the group's tasks (each with the group's executor and resources with allocation info, as
     * the master sends them) are given to the framework's executor, which is started first if it is not running.
     */
    public void launchGroup(FrameworkInfo framework, ExecutorInfo executor, TaskGroupInfo group) {
        thread.execute(() -> {
            if (dead) {
                return;
            }
            String key = key(framework.getId().getValue(), executor.getExecutorId().getValue());
            DefaultExecutor running = executors.get(key);
            if (executor.getType() != ExecutorInfo.Type.DEFAULT) {
                for (TaskInfo task : group.getTasksList()) { // a limit of the peer, said loudly
                    listener.statusUpdate(framework.getId().getValue(), agentStatus(task, TaskState.TASK_FAILED,
                            TaskStatus.Reason.REASON_EXECUTOR_TERMINATED, executor, "the executing agent peer runs"
                            + " the DEFAULT executor only, not a " + executor.getType() + " executor"));
                }
                return;
            }
            if (running == null || running.terminated()) {
                running = startExecutor(framework, executor, group);
                if (running == null) {
                    return;
                }
            }
            running.launchGroup(group);
        });
    }

    /** The scheduler's KILL, with the kill policy it carried (or null). */
    public void kill(String frameworkId, String taskId, KillPolicy policy) {
        thread.execute(() -> {
            if (!dead) {
                executors.values().stream().filter(e -> e.container().frameworkId().equals(frameworkId))
                        .forEach(e -> e.killTask(taskId, policy));
            }
        });
    }

    /** The framework is gone: its executors are shut down (their tasks killed). */
    public void shutdownFramework(String frameworkId) {
        thread.execute(() -> {
            if (!dead) {
                executors.values().stream().filter(e -> e.container().frameworkId().equals(frameworkId))
                        .forEach(DefaultExecutor::shutdown);
            }
        });
    }

    /** The machine dies: every process killed at once, nothing reported, nothing unmounted. Waits for it. */
    public void crash() {
        die();
    }

    /**
     * Every container abandoned and every process killed, without a word to the master: the real master learns of a
     * dead agent only from missed pings (src/master/master.cpp, SlaveObserver: agent_ping_timeout ×
     * max_agent_ping_timeouts).
     */
    private void die() {
        containerizer.abandon();
        onThread(() -> {
            dead = true;
            allExecutors.forEach(DefaultExecutor::vanish);
            return null;
        });
        killEverything();
    }

    /** The task's own sandbox on this agent (the most recent launch of that task id), if it was launched here. */
    public Optional<Path> sandbox(String frameworkId, String taskId) {
        return onThread(() -> {
            Optional<Path> found = Optional.empty();
            for (DefaultExecutor e : allExecutors) {
                if (!e.container().frameworkId().equals(frameworkId)) {
                    continue;
                }
                for (DefaultExecutor.Task t : e.everLaunched()) {
                    if (t.id().equals(taskId)) {
                        found = Optional.of(t.container.sandbox);
                    }
                }
            }
            return found;
        });
    }

    /** Pids of every process this agent's containers still have. */
    public List<Long> processes() {
        List<Long> mains = onThread(this::mainPids);
        ProcTable table = ProcTable.scan();
        return mains.stream().flatMap(pid -> table.container(pid).stream()).map(ProcTable.Proc::pid).distinct()
                .toList();
    }

    @Override
    public void close() {
        try {
            die();
            onThread(() -> {
                for (DefaultExecutor e : allExecutors) {
                    for (DefaultExecutor.Task t : e.everLaunched()) {
                        volumes.release(t.container); // once per container, whoever comes first
                    }
                }
                return null;
            });
        } finally {
            thread.shutdownNow();
            workers.shutdownNow();
            if (temporaryWorkDir) {
                AgentPaths.deleteTree(paths.workDir());
            }
        }
    }

    // ---- on the agent's thread --------------------------------------------------------------------------------

    private DefaultExecutor startExecutor(FrameworkInfo framework, ExecutorInfo info, TaskGroupInfo group) {
        String frameworkId = framework.getId().getValue();
        String executorId = info.getExecutorId().getValue();
        String containerId = UUID.randomUUID().toString();
        Path sandbox = paths.executorRunDir(frameworkId, executorId, containerId);
        Optional<String> error = AgentPaths.createSandboxDirectory(sandbox, framework.getUser());
        if (error.isPresent()) {
            // slave.cpp:3270-3292: the tasks are dropped, and the master hears the executor exited (status -1)
            String message = "Failed to create executor directory '" + sandbox + "': " + error.get();
            boolean aware = framework.getCapabilitiesList().stream()
                    .anyMatch(c -> c.getType() == FrameworkInfo.Capability.Type.PARTITION_AWARE);
            for (TaskInfo task : group.getTasksList()) {
                listener.statusUpdate(frameworkId, agentStatus(task, aware ? TaskState.TASK_DROPPED
                        : TaskState.TASK_LOST, TaskStatus.Reason.REASON_EXECUTOR_TERMINATED, info, message));
            }
            listener.executorExited(frameworkId, executorId, -1);
            return null;
        }
        Path latest = paths.latestRun(frameworkId, executorId);
        try {
            Files.deleteIfExists(latest);
            Files.createSymbolicLink(latest, sandbox);
            UserAccount owner = UserAccount.lookup(framework.getUser()).orElseThrow();
            for (String name : List.of("stdout", "stderr")) { // the executor's own output
                Path file = Files.createFile(sandbox.resolve(name));
                AgentPaths.chown(file, owner);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ExecutorContainer container = new ExecutorContainer(framework, info, containerId, sandbox,
                framework.getUser());
        DefaultExecutor executor = new DefaultExecutor(container, containerizer, new DefaultExecutor.Agent() {
            @Override
            public void update(DefaultExecutor from, TaskStatus status) {
                forward(from, status);
            }

            @Override
            public void exited(DefaultExecutor from, WaitStatus status) {
                executors.remove(key(from.container().frameworkId(), from.container().executorId()), from);
                listener.executorExited(from.container().frameworkId(), from.container().executorId(),
                        status.raw());
            }
        }, thread, workers, runtime.containerIp());
        executors.put(key(frameworkId, executorId), executor);
        allExecutors.add(executor);
        listener.executorLaunched(frameworkId, executorId, sandbox, latest);
        return executor;
    }

    /**
     * The agent's handling of an executor's update ({@code src/slave/slave.cpp:6195-6290}): its agent id, and for a
     * container the containerizer knows the container's network — the agent's IP (:6252-6279;
     * {@code MesosContainerizerProcess::status} fails for an unknown container, containerizer.cpp:2622-2628).
     */
    private void forward(DefaultExecutor from, TaskStatus status) {
        if (dead) {
            return;
        }
        TaskStatus.Builder update = status.toBuilder().setAgentId(agentIdProto());
        // TASK_STARTING is sent before LAUNCH_CONTAINER (the containerizer does not know the container yet: no
        // status to merge); a terminal update comes after the container was destroyed (likewise)
        if (status.getState() != TaskState.TASK_STARTING && !isTerminal(status.getState())) {
            ContainerStatus.Builder container = update.getContainerStatusBuilder();
            if (container.getNetworkInfosCount() == 0) {
                container.addNetworkInfos(NetworkInfo.newBuilder().addIpAddresses(
                        NetworkInfo.IPAddress.newBuilder().setIpAddress(runtime.containerIp())));
            }
        }
        listener.statusUpdate(from.container().frameworkId(), update.build());
    }

    /**
     * The memory isolator, by measurement: each executor's cgroup against executor + active tasks' {@code mem},
     * and each task with {@code share_cgroups: false} against its own.
     */
    private void watchMemory() {
        if (dead || executors.isEmpty()) {
            return;
        }
        ProcTable table = null;
        for (DefaultExecutor executor : List.copyOf(executors.values())) {
            List<DefaultExecutor.Task> running = executor.everLaunched().stream()
                    .filter(t -> t.container.running()).toList();
            if (running.isEmpty()) {
                continue;
            }
            if (table == null) {
                table = ProcTable.scan();
            }
            long total = 0;
            for (DefaultExecutor.Task task : running) {
                long used = table.rssBytes(task.container.process.pid());
                total += used;
                task.container.maxRssBytes = Math.max(task.container.maxRssBytes, used);
                if (!task.container.sharesCgroups()) {
                    long limit = MemoryLimit.limitBytes(MemoryLimit.megabytes(task.info.getResourcesList()));
                    if (used > limit) {
                        containerizer.destroy(task.container,
                                MemoryLimit.limitation(limit, task.container.maxRssBytes));
                    }
                }
            }
            executor.maxRssBytes = Math.max(executor.maxRssBytes, total);
            double mb = MemoryLimit.megabytes(executor.container().info().getResourcesList())
                    + executor.active().stream().mapToDouble(t -> MemoryLimit.megabytes(t.info.getResourcesList()))
                    .sum();
            long limit = MemoryLimit.limitBytes(mb);
            if (total > limit) {
                executor.containerLimited(MemoryLimit.limitation(limit, executor.maxRssBytes));
            }
        }
    }

    private List<Long> mainPids() {
        List<Long> pids = new ArrayList<>();
        for (DefaultExecutor e : allExecutors) {
            for (DefaultExecutor.Task t : e.everLaunched()) {
                if (t.container.process != null) {
                    pids.add(t.container.process.pid());
                }
            }
        }
        return pids;
    }

    /** SIGKILL to every container's processes, waiting until none is left. */
    private void killEverything() {
        List<ContainerProcess> processes = onThread(() -> {
            List<ContainerProcess> all = new ArrayList<>();
            for (DefaultExecutor e : allExecutors) {
                for (DefaultExecutor.Task t : e.everLaunched()) {
                    if (t.container.process != null) {
                        all.add(t.container.process);
                    }
                }
            }
            return all;
        });
        processes.forEach(ContainerProcess::killRemaining);
        // launches still in flight when the agent died may start a process after the snapshot above
        awaitQuiet();
        onThread(() -> {
            for (DefaultExecutor e : allExecutors) {
                for (DefaultExecutor.Task t : e.everLaunched()) {
                    if (t.container.process != null) {
                        t.container.process.killRemaining();
                    }
                }
            }
            return null;
        });
    }

    private void awaitQuiet() {
        for (int i = 0; i < 100; i++) {
            boolean launching = onThread(() -> allExecutors.stream().flatMap(e -> e.everLaunched().stream())
                    .anyMatch(t -> !t.container.launch.isDone()));
            if (!launching) {
                return;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private <T> T onThread(Callable<T> action) {
        if (thread.isShutdown()) {
            try {
                return action.call();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        try {
            return thread.submit(action).get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (Exception e) {
            throw new IllegalStateException("the agent " + agentId + " did not answer", e);
        }
    }

    /** An update the agent makes itself ({@code protobuf::createStatusUpdate}, SOURCE_SLAVE). */
    private TaskStatus agentStatus(TaskInfo task, TaskState state, TaskStatus.Reason reason, ExecutorInfo executor,
            String message) {
        return TaskStatus.newBuilder().setTaskId(task.getTaskId()).setState(state)
                .setSource(TaskStatus.Source.SOURCE_AGENT).setReason(reason).setMessage(message)
                .setExecutorId(executor.getExecutorId()).setAgentId(agentIdProto())
                .setTimestamp(System.currentTimeMillis() / 1000.0)
                .setUuid(com.google.protobuf.ByteString.copyFrom(uuidBytes())).build();
    }

    private AgentID agentIdProto() {
        return AgentID.newBuilder().setValue(agentId).build();
    }

    private static boolean isTerminal(TaskState state) {
        return switch (state) {
            case TASK_FINISHED, TASK_FAILED, TASK_KILLED, TASK_LOST, TASK_ERROR, TASK_DROPPED, TASK_GONE,
                    TASK_GONE_BY_OPERATOR -> true;
            default -> false;
        };
    }

    private static byte[] uuidBytes() {
        UUID u = UUID.randomUUID();
        return java.nio.ByteBuffer.allocate(16).putLong(u.getMostSignificantBits())
                .putLong(u.getLeastSignificantBits()).array();
    }

    private static String key(String frameworkId, String executorId) {
        return frameworkId + "/" + executorId;
    }

    private static Path temporaryDirectory() {
        try {
            return Files.createTempDirectory("mesos-peer-agent-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
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
