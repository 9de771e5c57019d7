package io.snapci.tests.mesos;

import static io.snapci.tests.mesos.ExecutingAgentKit.task;
import static org.apache.mesos.v1.Protos.TaskState.TASK_FAILED;
import static org.apache.mesos.v1.Protos.TaskState.TASK_FINISHED;
import static org.apache.mesos.v1.Protos.TaskState.TASK_STARTING;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.snapci.tests.mesos.agent.AgentRuntime;
import io.snapci.tests.mesos.agent.SecretResolver;
import java.util.List;
import java.util.Map;
import org.apache.mesos.v1.Protos.ContainerInfo;
import org.apache.mesos.v1.Protos.Secret;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.Protos.Volume;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/**
 * File-based secrets on an executing agent, as mesos 1.11.0's {@code volume/secret} isolator gives them
 * (src/slave/containerizer/mesos/isolators/volume/secret.cpp): the value is at the volume's path for the task's
 * process only while it runs; an agent without the isolator ignores the volume; Mesos' default resolver cannot
 * resolve a reference, and a failed resolution fails the launch with the resolver's text.
 */
class ExecutingAgentSecretVolumesTest {

    private static final String VALUE = "the-service-masking-key-0123456789";

    @AutoClose
    private ExecutingAgentKit kit;

    @Test
    void aReferencedSecretIsAtItsRelativePathWhileTheTaskRunsAndGoneFromTheSandboxAfterwards() throws Exception {
        kit = ExecutingAgentKit.start(AgentRuntime.builder()
                .secretIsolator(SecretResolver.store(Map.of("snapci/mask-key", VALUE))).build());
        kit.launch(withSecret(task("reads", "cat keys/mask > seen.txt"), "keys/mask", reference("snapci/mask-key")));

        assertThat(kit.terminal("reads").getState()).isEqualTo(TASK_FINISHED);
        assertThat(kit.sandbox("reads").resolve("seen.txt")).hasContent(VALUE);
        assertThat(kit.sandbox("reads").resolve("keys/mask")).as("the empty mount point is what a sandbox keeps")
                .exists().isEmptyFile();
    }

    @Test
    void anAgentWithoutTheIsolatorIgnoresSecretVolumes() throws Exception {
        kit = ExecutingAgentKit.start(AgentRuntime.defaults());
        kit.launch(withSecret(task("ignored", "test ! -e keys/mask"), "keys/mask", reference("snapci/mask-key")));

        assertThat(kit.terminal("ignored").getState()).isEqualTo(TASK_FINISHED);
    }

    @Test
    void unresolvableOrInvalidSecretsFailTheLaunchBeforeTheTaskRuns() throws Exception {
        kit = ExecutingAgentKit.start(AgentRuntime.builder().secretIsolator(SecretResolver.mesosDefault()).build());
        kit.launch(withSecret(task("reference", "touch ran"), "key", reference("snapci/mask-key")));
        kit.launch(withSecret(task("by-value", "cat key > seen.txt"), "key", Secret.newBuilder()
                .setType(Secret.Type.VALUE).setValue(Secret.Value.newBuilder().setData(ByteString.copyFromUtf8(VALUE)))
                .build()));
        kit.launch(withSecret(task("both", "touch ran"), "key", reference("snapci/mask-key").toBuilder()
                .setValue(Secret.Value.newBuilder().setData(ByteString.copyFromUtf8("x"))).build()));

        List<TaskStatus> reference = kit.untilTerminal("reference");
        assertThat(reference).extracting(TaskStatus::getState).containsExactly(TASK_STARTING, TASK_FAILED);
        assertThat(reference.get(1).getMessage()).isEqualTo("Default secret resolver cannot resolve references");
        assertThat(kit.sandbox("reference").resolve("ran")).doesNotExist();
        assertThat(kit.terminal("by-value").getState()).isEqualTo(TASK_FINISHED);
        assertThat(kit.sandbox("by-value").resolve("seen.txt")).hasContent(VALUE);
        assertThat(kit.terminal("both").getMessage()).isEqualTo("Invalid secret specified in volume: Secret "
                + "'snapci/mask-key' of type REFERENCE must not have the 'value' field set");
    }

    @Test
    void aSecretTheStoreDoesNotHoldFailsTheLaunchNamingIt() throws Exception {
        kit = ExecutingAgentKit.start(AgentRuntime.builder().secretIsolator(SecretResolver.store(Map.of())).build());
        kit.launch(withSecret(task("unknown", "touch ran"), "key", reference("snapci/mask-key")));

        TaskStatus failed = kit.terminal("unknown");
        assertThat(failed.getState()).isEqualTo(TASK_FAILED);
        assertThat(failed.getMessage()).contains("'snapci/mask-key'");
        assertThat(kit.sandbox("unknown").resolve("ran")).doesNotExist();
        assertThat(kit.sandbox("unknown").resolve("key")).as("only the mount point").isEmptyFile();
    }

    private static Secret reference(String name) {
        return Secret.newBuilder().setType(Secret.Type.REFERENCE)
                .setReference(Secret.Reference.newBuilder().setName(name)).build();
    }

    private static TaskInfo.Builder withSecret(TaskInfo.Builder task, String containerPath, Secret secret) {
        task.getContainerBuilder().setType(ContainerInfo.Type.MESOS).addVolumes(Volume.newBuilder()
                .setContainerPath(containerPath).setMode(Volume.Mode.RO).setSource(Volume.Source.newBuilder()
                        .setType(Volume.Source.Type.SECRET).setSecret(secret)));
        return task;
    }
}
