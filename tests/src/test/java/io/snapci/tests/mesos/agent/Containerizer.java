package io.snapci.tests.mesos.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executor;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.apache.mesos.v1.Protos.ContainerInfo;
import org.apache.mesos.v1.Protos.Image;
import org.apache.mesos.v1.Protos.TaskInfo;

/**
 * The agent's side of a task's container: LAUNCH_CONTAINER, the kill signals and the destroy, as the Mesos
 * containerizer runs them for a nested container (mesos 1.11.0 {@code src/slave/containerizer/mesos/containerizer.cpp},
 * "MC" below; {@code src/slave/http.cpp} "AH"). A launch goes:
 * <ol>
 *   <li>a ContainerInfo that is not MESOS is {@code The provided ContainerInfo is not supported} (MC:1307-1310,
 *       AH:3460-3461);</li>
 *   <li>the user: {@code CommandInfo.user}, else the executor's (AH:3367-3371, MC:1344-1350); the nested sandbox is
 *       created for it ({@code Failed to create nested sandbox '<dir>': ...}, MC:1352-1389);</li>
 *   <li>the image is pulled ({@link ImageCatalogue}), then the isolators prepare — {@code network/cni} (env),
 *       {@code docker/runtime} (env, working directory, command; {@code Failed to determine the launch command:
 *       ...}), {@code docker/volume} ({@link DockerVolumes}), {@code volume/secret} ({@link SecretVolumes}), {@code volume/host_path}
 *       ({@link HostPathVolumes});</li>
 *   <li>the fork: from here a failure leaves a process that exits 1 ({@code Failed to synchronize with agent (it's
 *       probably exited)}, launch.cpp:768-777) — the executor then reports "Command exited with status 1" and not the
 *       error (default_executor.cpp:914-934);</li>
 *   <li>the fetch ({@link Fetcher}), then the exec ({@link Exec}); LAUNCH_CONTAINER answers 200 once the command is
 *       exec'd (MC:2268-2272), a failed exec shows only as exit status 1.</li>
 * </ol>
 * Any failure answers 400 with its text (AH:3470-3474) and the agent destroys the container (AH:3425-3451). A
 * container is destroyed when its main process ends (MC:3246-3257) or a limitation ends it (MC:3260-3297); the destroy
 * kills what is left of it and unmounts its volumes, then its termination is known.
 */
final class Containerizer {

    private final AgentPaths paths;
    private final AgentRuntime runtime;
    private final Fetcher fetcher;
    private final DockerVolumes volumes;
    private final SecretVolumes secrets;
    private final HostPathVolumes hostPaths;
    private final Executor agentThread;
    private final Executor workers;
    /** The agent died: nothing is cleaned up any more (a dead agent unmounts nothing). */
    private volatile boolean abandoned;

    Containerizer(AgentPaths paths, AgentRuntime runtime, Fetcher fetcher, DockerVolumes volumes,
            Executor agentThread, Executor workers) {
        this.paths = paths;
        this.runtime = runtime;
        this.fetcher = fetcher;
        this.volumes = volumes;
        this.secrets = SecretVolumes.of(runtime.secretIsolator());
        this.hostPaths = runtime.hostPathIsolator().map(HostPathVolumes::isolating)
                .orElse(HostPathVolumes.NOT_ISOLATED);
        this.agentThread = agentThread;
        this.workers = workers;
    }

    void abandon() {
        abandoned = true;
    }

    /** LAUNCH_CONTAINER: starts the launch; {@code container.launch} completes with the answer (agent thread). */
    NestedContainer launch(ExecutorContainer executor, String containerId, TaskInfo task, CommandInfo command) {
        NestedContainer container = new NestedContainer(executor, containerId, task);
        workers.execute(() -> {
            NestedContainer.LaunchResult result;
            try {
                result = doLaunch(container, command);
            } catch (RuntimeException | IOException | LinkageError e) { // a peer bug must not hang the launch
                container.endedWithoutProcess = Termination.withoutStatus();
                result = NestedContainer.LaunchResult.failed("peer agent: " + e);
            }
            NestedContainer.LaunchResult answer = result;
            post(() -> launched(container, answer));
        });
        return container;
    }

    /** KILL_NESTED_CONTAINER: the signal goes to the main process; without one the container is destroyed. */
    void kill(NestedContainer container, int signal) {
        if (container.termination.isDone()) {
            return;
        }
        if (container.process == null) {
            destroy(container, null);
        } else {
            container.process.signal(signal);
        }
    }

    /** Destroys the container; {@code limitation} (or null) is what the agent ends it for. Agent thread. */
    void destroy(NestedContainer container, Termination limitation) {
        if (container.destroying) {
            return;
        }
        container.destroying = true;
        container.destroyedWith = limitation;
        if (container.process != null) {
            container.process.signal(WaitStatus.SIGKILL); // reaped() finishes the destroy
        } else if (container.launch.isDone()) {
            finish(container, container.endedWithoutProcess == null ? null : container.endedWithoutProcess.status());
        }
        // a launch still running is destroyed when it completes (launched())
    }

    private void launched(NestedContainer container, NestedContainer.LaunchResult result) {
        if (container.process != null) {
            container.process.exit().whenComplete((status, error) -> post(() -> reaped(container, status)));
            if (container.destroying) {
                container.process.signal(WaitStatus.SIGKILL); // destroyed while it was launching
            }
        } else {
            destroyNow(container);
        }
        container.launch.complete(result);
    }

    private void destroyNow(NestedContainer container) {
        container.destroying = true;
        finish(container, container.endedWithoutProcess == null ? null : container.endedWithoutProcess.status());
    }

    private void reaped(NestedContainer container, WaitStatus status) {
        container.destroying = true;
        finish(container, status);
    }

    /** The rest of a destroy, off the agent thread: kill what is left, unmount; then the termination is known. */
    private void finish(NestedContainer container, WaitStatus status) {
        Termination base = container.destroyedWith;
        workers.execute(() -> {
            if (container.process != null) {
                container.process.killRemaining();
            }
            if (!abandoned) {
                volumes.release(container);
                secrets.release(container.secrets);
            }
            Termination done = base == null ? new Termination(status, null, null, null, List.of())
                    : base.withStatus(status);
            post(() -> container.termination.complete(done));
        });
    }

    /** Onto the agent's thread; nothing happens any more once the agent is closed. */
    private void post(Runnable action) {
        try {
            agentThread.execute(action);
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            // the agent is closed
        }
    }

    // ---- the launch, on a worker thread ----------------------------------------------------------------------

    private NestedContainer.LaunchResult doLaunch(NestedContainer c, CommandInfo command) throws IOException {
        ContainerInfo info = c.task.hasContainer() ? c.task.getContainer() : null;
        if (info != null && info.getType() != ContainerInfo.Type.MESOS) {
            return beforeFork(c, "The provided ContainerInfo is not supported");
        }
        String user = command.hasUser() ? command.getUser() : c.executor.user();
        Optional<String> sandboxError = AgentPaths.createSandboxDirectory(c.sandbox, user);
        if (sandboxError.isPresent()) {
            return beforeFork(c, "Failed to create nested sandbox '" + c.sandbox + "': " + sandboxError.get());
        }
        c.user = UserAccount.lookup(user).orElseThrow();

        ImageCatalogue.Image image = null;
        if (info != null && info.getMesos().hasImage()) {
            Image wanted = info.getMesos().getImage();
            if (wanted.getType() != Image.Type.DOCKER) {
                return beforeFork(c, "Unsupported container image type: " + wanted.getType()); // provisioner.cpp:531
            }
            ImageCatalogue.Pull pull = runtime.images().pull(wanted.getDocker().getName());
            if (pull instanceof ImageCatalogue.PullFailed failed) {
                return beforeFork(c, failed.message());
            }
            image = ((ImageCatalogue.Pulled) pull).image();
        }

        Exec.Command launchCommand;
        try {
            launchCommand = launchCommand(command, image);
        } catch (IllegalArgumentException e) {
            return beforeFork(c, "Failed to determine the launch command: " + e.getMessage());
        }
        if (image != null) {
            ContainerRoot root = rootOf(c);
            image.files().forEach(root::link);
            root.link("/mnt/mesos/sandbox", c.sandbox);
        }
        if (info != null) {
            try {
                c.volumes = volumes.prepare(info, c.printedId(), c.sandbox, image != null, () -> rootOf(c));
                c.secrets = secrets.prepare(info, c.sandbox, image != null, () -> rootOf(c));
                hostPaths.prepare(info, c.sandbox, image != null, () -> rootOf(c));
            } catch (DockerVolumes.PrepareFailure e) {
                return beforeFork(c, e.getMessage());
            }
        }

        // ---- forked: from here a failure is the helper's exit 1 ----
        Path stdout = c.sandbox.resolve("stdout");
        Path stderr = c.sandbox.resolve("stderr");
        try {
            fetcher.fetch(command, c.sandbox, c.user, c.printedId());
        } catch (Fetcher.FetchFailure e) {
            output(stdout, c.user);
            output(stderr, c.user);
            Fetcher.log(stderr, "Failed to synchronize with agent (it's probably exited)");
            c.endedWithoutProcess = Termination.of(WaitStatus.exitedWith(1));
            return NestedContainer.LaunchResult.failed(e.getMessage());
        }
        output(stdout, c.user);
        output(stderr, c.user);
        Map<String, String> env = TaskEnvironment.build(c.sandbox, runtime.networkCni(), image, command, c.root);
        Path workingDir = image != null && !image.workingDir().isEmpty() ? rootOf(c).directory(image.workingDir())
                : c.sandbox;
        Optional<UserAccount> switchTo = c.user.uid() == UserAccount.agentUser().uid() ? Optional.empty()
                : Optional.of(c.user);
        Exec.Outcome outcome = Exec.start(launchCommand, workingDir, env, switchTo, stdout, stderr);
        if (outcome instanceof Exec.Started started) {
            c.process = started.process();
        } else {
            Fetcher.log(stderr, ((Exec.ExecFailed) outcome).stderrLine());
            c.endedWithoutProcess = Termination.of(WaitStatus.exitedWith(1));
        }
        return NestedContainer.LaunchResult.OK;
    }

    private NestedContainer.LaunchResult beforeFork(NestedContainer c, String error) {
        c.endedWithoutProcess = Termination.withoutStatus();
        return NestedContainer.LaunchResult.failed(error);
    }

    private ContainerRoot rootOf(NestedContainer c) {
        if (c.root == null) {
            c.root = new ContainerRoot(paths.rootfs(c.executor.containerId(), c.id, UUID.randomUUID().toString()));
        }
        return c.root;
    }

    /**
     * The command to exec: the task's, or with an image the docker runtime isolator's merge with the image's
     * Entrypoint and Cmd ({@code docker/runtime.cpp:226-369}): {@code shell} needs a {@code value}; without shell
     * and value, Entrypoint (else Cmd[0]) is the executable, the task's arguments or else Cmd follow.
     */
    static Exec.Command launchCommand(CommandInfo command, ImageCatalogue.Image image) {
        if (command.getShell()) {
            if (image != null && !command.hasValue()) {
                throw new IllegalArgumentException("Shell specified but no command value provided");
            }
            return new Exec.Command(true, command.getValue(), List.of());
        }
        if (command.hasValue() || image == null) {
            return new Exec.Command(false, command.getValue(), command.getArgumentsList());
        }
        List<String> argv = new ArrayList<>();
        if (!image.entrypoint().isEmpty()) {
            argv.addAll(image.entrypoint());
            argv.addAll(command.getArgumentsList());
            if (command.getArgumentsCount() == 0) {
                argv.addAll(image.cmd());
            }
        } else if (!image.cmd().isEmpty()) {
            argv.add(image.cmd().get(0));
            argv.addAll(command.getArgumentsList());
            if (command.getArgumentsCount() == 0) {
                argv.addAll(image.cmd().subList(1, image.cmd().size()));
            }
        } else {
            throw new IllegalArgumentException("No executable is found");
        }
        return new Exec.Command(false, argv.get(0), argv);
    }

    /** The container's stdout/stderr, where the container logger appends what the task writes. */
    private static void output(Path file, UserAccount user) throws IOException {
        if (!Files.exists(file)) {
            Files.write(file, new byte[0], StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
            AgentPaths.chown(file, user);
        }
    }
}
