package io.snapci.tests.mesos;

import static io.snapci.tests.mesos.ExecutingAgentKit.task;
import static org.apache.mesos.v1.Protos.TaskState.TASK_FAILED;
import static org.apache.mesos.v1.Protos.TaskState.TASK_FINISHED;
import static org.assertj.core.api.Assertions.assertThat;

import io.snapci.tests.mesos.agent.AgentRuntime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.apache.mesos.v1.Protos.ContainerInfo;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.Volume;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HOST_PATH volumes on an executing agent, as mesos 1.11.0's {@code volume/host_path} isolator mounts them
 * (src/slave/containerizer/mesos/isolators/volume/host_path.cpp): a host directory that outlives the task at a path
 * in its sandbox, a missing one refused unless the agent may create it, an agent without the isolator ignoring it.
 */
class ExecutingAgentHostPathVolumesTest {

    @TempDir
    Path tmp;

    @AutoClose
    private ExecutingAgentKit kit;

    @Test
    void aHostDirectoryIsAtItsRelativePathAndWhatATaskWritesThereOutlivesIt() throws Exception {
        Path host = Files.createDirectories(tmp.resolve("hosts/class-archives"));
        // the tasks run as nobody: the operator made the host directory theirs
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(tmp.resolve("hosts"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setAttribute(host, "unix:uid", 65534);
        kit = ExecutingAgentKit.start(AgentRuntime.builder().hostPathIsolator().build());
        kit.launch(withHostPath(task("writes", "echo archive > kept/archive.jsa"), "kept", host.toString()));
        assertThat(kit.terminal("writes").getState()).isEqualTo(TASK_FINISHED);
        kit.launch(withHostPath(task("reads", "cat kept/archive.jsa > seen.txt"), "kept", host.toString()));
        assertThat(kit.terminal("reads").getState()).isEqualTo(TASK_FINISHED);

        assertThat(host.resolve("archive.jsa")).hasContent("archive");
        assertThat(kit.sandbox("reads").resolve("seen.txt")).hasContent("archive");
        kit.close();
        kit = null;
        assertThat(host.resolve("archive.jsa")).as("removing the agent's work dir never goes into a host path")
                .exists();
    }

    @Test
    void aMissingHostPathIsRefusedUnlessTheAgentMayCreateItAndARelativeOneAlways() throws Exception {
        Path allowed = tmp.resolve("allowed");
        kit = ExecutingAgentKit.start(AgentRuntime.builder().hostPathIsolator(allowed).build());
        kit.launch(withHostPath(task("missing", "touch ran"), "kept", tmp.resolve("elsewhere/dir").toString()));
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        kit.launch(withHostPath(task("created", "test -d kept && touch made"), "kept",
                allowed.resolve("a/b").toString()));
        kit.launch(withHostPath(task("relative", "touch ran"), "kept", "not/absolute"));

        assertThat(kit.terminal("missing").getState()).isEqualTo(TASK_FAILED);
        assertThat(kit.terminal("missing").getMessage()).isEqualTo("Path '" + tmp.resolve("elsewhere/dir")
                + "' in HOST_PATH volume does not exist and is not whitelisted for creation: Path '"
                + tmp.resolve("elsewhere/dir") + "' is not whitelisted");
        assertThat(kit.sandbox("missing").resolve("ran")).doesNotExist();
        assertThat(kit.terminal("created").getState()).isEqualTo(TASK_FINISHED);
        assertThat(allowed.resolve("a/b")).as("made by the agent, as a directory").isDirectory();
        assertThat(kit.sandbox("created").resolve("made")).exists();
        assertThat(kit.terminal("relative").getMessage())
                .isEqualTo("Path 'not/absolute' in HOST_PATH volume is not absolute");
    }

    @Test
    void withoutTheFlagAMissingHostPathIsRefusedAndWithoutTheIsolatorTheVolumeIsIgnored() throws Exception {
        kit = ExecutingAgentKit.start(AgentRuntime.builder().hostPathIsolator().build());
        kit.launch(withHostPath(task("missing", "touch ran"), "kept", tmp.resolve("nowhere").toString()));
        assertThat(kit.terminal("missing").getMessage())
                .isEqualTo("Path '" + tmp.resolve("nowhere") + "' in HOST_PATH volume does not exist");
        kit.close();

        kit = ExecutingAgentKit.start(AgentRuntime.defaults());
        kit.launch(withHostPath(task("ignored", "test ! -e kept"), "kept", tmp.resolve("nowhere").toString()));
        assertThat(kit.terminal("ignored").getState()).isEqualTo(TASK_FINISHED);
        assertThat(tmp.resolve("nowhere")).doesNotExist();
    }

    private static TaskInfo.Builder withHostPath(TaskInfo.Builder task, String containerPath, String hostPath) {
        task.getContainerBuilder().setType(ContainerInfo.Type.MESOS).addVolumes(Volume.newBuilder()
                .setContainerPath(containerPath).setMode(Volume.Mode.RW).setSource(Volume.Source.newBuilder()
                        .setType(Volume.Source.Type.HOST_PATH)
                        .setHostPath(Volume.Source.HostPath.newBuilder().setPath(hostPath))));
        return task;
    }
}
