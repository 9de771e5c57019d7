package io.snapci.tests.mesos.agent;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import org.apache.mesos.v1.Protos.TaskInfo;

/**
 * One task's container, as the containerizer holds it: where it lives, its process, its volumes, and how it ended.
 * Fields are written by the launch (on a worker thread, before {@link #launch} completes) and afterwards only on the
 * agent's thread.
 */
final class NestedContainer {

    /** The answer to the executor's LAUNCH_CONTAINER: 200, or 400 with the failure text. */
    record LaunchResult(boolean ok, String error) {
        static final LaunchResult OK = new LaunchResult(true, null);

        static LaunchResult failed(String error) {
            return new LaunchResult(false, error);
        }
    }

    final ExecutorContainer executor;
    final String id;
    final TaskInfo task;
    final Path sandbox;
    final CompletableFuture<LaunchResult> launch = new CompletableFuture<>();
    final CompletableFuture<Termination> termination = new CompletableFuture<>();

    UserAccount user;
    ContainerRoot root;
    DockerVolumes.Mounted volumes = new DockerVolumes.Mounted(java.util.List.of());
    /** Its secret volumes' files ({@link SecretVolumes}). */
    SecretVolumes.Written secrets = new SecretVolumes.Written(java.util.List.of());
    /** Its volumes were unmounted (guarded by the {@link DockerVolumes} lock). */
    boolean volumesReleased;
    /** The task's process; null when the launch failed or the exec did. */
    ContainerProcess process;
    /** When there is no process: how the container ended anyway (no status before the fork, exit 1 after). */
    Termination endedWithoutProcess;
    /** Set once destroy starts; a limitation's state, reason and message go into the termination. */
    Termination destroyedWith;
    boolean destroying;
    /** The largest memory use measured (bytes), for a limitation's "Maximum Used". */
    long maxRssBytes;

    NestedContainer(ExecutorContainer executor, String id, TaskInfo task) {
        this.executor = executor;
        this.id = id;
        this.task = task;
        this.sandbox = AgentPaths.nestedSandbox(executor.sandbox(), id);
    }

    /** {@code <parent>.<child>}, as a nested ContainerID is printed ({@code src/common/type_utils.cpp:777-782}). */
    String printedId() {
        return executor.containerId() + "." + id;
    }

    boolean running() {
        return process != null && process.alive() && !termination.isDone();
    }

    /** {@code LinuxInfo.share_cgroups}, default true: the task lives in its executor's cgroups. */
    boolean sharesCgroups() {
        return !task.hasContainer() || !task.getContainer().hasLinuxInfo()
                || !task.getContainer().getLinuxInfo().hasShareCgroups()
                || task.getContainer().getLinuxInfo().getShareCgroups();
    }
}
