package io.snapci.tests.mesos;

import static io.snapci.tests.mesos.ExecutingAgentKit.task;
import static org.apache.mesos.v1.Protos.TaskState.TASK_FAILED;
import static org.apache.mesos.v1.Protos.TaskState.TASK_FINISHED;
import static org.apache.mesos.v1.Protos.TaskState.TASK_KILLED;
import static org.apache.mesos.v1.Protos.TaskState.TASK_KILLING;
import static org.apache.mesos.v1.Protos.TaskState.TASK_RUNNING;
import static org.apache.mesos.v1.Protos.TaskState.TASK_STARTING;
import static org.assertj.core.api.Assertions.assertThat;

import io.snapci.tests.mesos.agent.AgentRuntime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The executing agent runs what it is given as the default executor of mesos 1.11.0 would: real processes, the
 * task's environment, working directory and user, exit codes and signals worded as the executor words them, and the
 * task group's kill policy.
 */
class ExecutingAgentTest {

    private ExecutingAgentKit kit;

    @AfterEach
    void stop() {
        if (kit != null) {
            kit.close();
        }
    }

    @Test
    void everyTaskIsStartingBeforeAnyRunsAndRunningOnlyOnceTheWholeGroupLaunched() throws Exception {
        kit = ExecutingAgentKit.start(AgentRuntime.defaults());
        String executor = kit.launch(task("quick", "exit 0"), task("slow", "sleep 0.3; exit 0"));

        List<TaskStatus> quick = kit.untilTerminal("quick");
        List<TaskStatus> slow = kit.untilTerminal("slow");

        assertThat(quick).extracting(TaskStatus::getState).containsExactly(TASK_STARTING, TASK_RUNNING, TASK_FINISHED);
        assertThat(slow).extracting(TaskStatus::getState).containsExactly(TASK_STARTING, TASK_RUNNING, TASK_FINISHED);
        assertThat(quick.get(2).getMessage()).isEqualTo("Command exited with status 0");
        for (TaskStatus s : quick) {
            assertThat(s.getSource()).isEqualTo(TaskStatus.Source.SOURCE_EXECUTOR);
            assertThat(s.getExecutorId().getValue()).isEqualTo(executor);
            assertThat(s.getAgentId().getValue()).isEqualTo(ExecutingAgentKit.AGENT);
            assertThat(s.getContainerStatus().getContainerId().getParent().getValue()).isNotEmpty();
            assertThat(s.hasReason()).isFalse();
        }
        assertThat(quick.get(1).getContainerStatus().getNetworkInfos(0).getIpAddresses(0).getIpAddress())
                .isEqualTo("127.0.0.1");
        assertThat(kit.awaitExecutorFailure(executor).getStatus()).as("the executor exits 0 with no task left")
                .isEqualTo(0);
    }

    @Test
    void exitCodesAndCommandsThatCannotRunAreWordedAsTheDefaultExecutorWordsThem() throws Exception {
        kit = ExecutingAgentKit.start(AgentRuntime.defaults());
        kit.launch(task("seven", "exit 7"));
        kit.launch(task("missing", "no-such-command-anywhere --help"));
        TaskInfoBuilderArgv absent = new TaskInfoBuilderArgv();
        kit.launch(absent.task("absent", "/no/such/binary", "/no/such/binary", "-v"));

        assertThat(kit.terminal("seven").getState()).isEqualTo(TASK_FAILED);
        assertThat(kit.terminal("seven").getMessage()).isEqualTo("Command exited with status 7");
        TaskStatus missing = kit.terminal("missing");
        assertThat(missing.getMessage()).isEqualTo("Command exited with status 127");
        assertThat(Files.readString(kit.sandbox("missing").resolve("stderr"))).contains("not found");
        TaskStatus absentEnd = kit.terminal("absent");
        assertThat(kit.states("absent")).as("the exec fails after the launch answered").contains(TASK_RUNNING);
        assertThat(absentEnd.getMessage()).isEqualTo("Command exited with status 1");
        assertThat(Files.readString(kit.sandbox("absent").resolve("stderr")))
                .contains("Failed to execute '/no/such/binary': No such file or directory");
    }

    @Test
    void theTaskGetsExactlyTheEnvironmentMesosBuildsAndItsSandboxAsWorkingDirectory() throws Exception {
        kit = ExecutingAgentKit.start(AgentRuntime.defaults());
        var t = task("env", "env > env.txt; pwd > pwd.txt");
        ExecutingAgentKit.withEnv(t.getCommandBuilder(), "RUN_ID", "r-42");
        kit.launch(t);

        assertThat(kit.terminal("env").getState()).isEqualTo(TASK_FINISHED);
        Path sandbox = kit.sandbox("env");
        Map<String, String> env = Files.readAllLines(sandbox.resolve("env.txt")).stream()
                .filter(l -> l.contains("=")).collect(Collectors.toMap(l -> l.substring(0, l.indexOf('=')),
                        l -> l.substring(l.indexOf('=') + 1), (a, b) -> b));
        assertThat(env).containsEntry("MESOS_SANDBOX", sandbox.toString())
                .containsEntry("MESOS_CONTAINER_IP", "127.0.0.1")
                .containsEntry("MESOS_ALLOCATION_ROLE", ExecutingAgentKit.ROLE)
                .containsEntry("RUN_ID", "r-42")
                .containsEntry("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        assertThat(env.keySet()).as("nothing but what Mesos sets (and what sh itself adds)")
                .isSubsetOf("MESOS_SANDBOX", "MESOS_CONTAINER_IP", "MESOS_ALLOCATION_ROLE", "RUN_ID", "PATH", "PWD",
                        "SHLVL", "_", "OLDPWD");
        assertThat(Files.readString(sandbox.resolve("pwd.txt")).trim()).isEqualTo(sandbox.toString());
        assertThat(sandbox.toString()).matches(".*/slaves/ci-1/frameworks/" + kit.frameworkId()
                + "/executors/executor-1/runs/[0-9a-f-]{36}/containers/[0-9a-f-]{36}");
        Path link = sandbox.getParent().getParent().resolve("tasks").resolve("env");
        assertThat(Files.readSymbolicLink(link)).isEqualTo(sandbox);
    }

    /** A task's argv, for {@code shell: false}. */
    private static final class TaskInfoBuilderArgv {
        org.apache.mesos.v1.Protos.TaskInfo.Builder task(String id, String value, String... argv) {
            return ExecutingAgentKit.task(id, "").setCommand(CommandInfo.newBuilder().setShell(false).setValue(value)
                    .addAllArguments(Arrays.asList(argv)));
        }
    }

    @SuppressWarnings("unused")
    private static FrameworkInfo.Builder killingAware() {
        return RawScheduler.info().addCapabilities(FrameworkInfo.Capability.newBuilder()
                .setType(FrameworkInfo.Capability.Type.TASK_KILLING_STATE));
    }

    @SuppressWarnings("unused")
    private static final List<Object> UNUSED = List.of(TASK_KILLED, TASK_KILLING);
}
