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
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.mesos.v1.Protos.CheckInfo;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.apache.mesos.v1.Protos.ContainerInfo;
import org.apache.mesos.v1.Protos.DurationInfo;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.KillPolicy;
import org.apache.mesos.v1.Protos.LinuxInfo;
import org.apache.mesos.v1.Protos.TaskState;
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
                .as("the agent adds the container's network to updates of a container it knows").isEqualTo("127.0.0.1");
        assertThat(quick.get(0).getContainerStatus().getNetworkInfosCount()).isZero();
        assertThat(quick.get(2).getContainerStatus().getNetworkInfosCount()).isZero();
        assertThat(kit.awaitExecutorFailure(executor).getStatus()).as("the executor exits 0 with no task left")
                .isEqualTo(0);
    }

    @Test
    void exitCodesAndCommandsThatCannotRunAreWordedAsTheDefaultExecutorWordsThem() throws Exception {
        kit = ExecutingAgentKit.start(AgentRuntime.defaults());
        kit.launch(task("seven", "exit 7"));
        kit.launch(task("missing", "no-such-command-anywhere --help"));
        kit.launch(argv("absent", "/no/such/binary", "/no/such/binary", "-v"));

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

    @Test
    void tasksRunAsTheFrameworksUserOrTheirOwnAndTheirSandboxesBelongToThem() throws Exception {
        kit = ExecutingAgentKit.start(AgentRuntime.defaults()); // FrameworkInfo.user: nobody
        var asRoot = task("as-root", "id -u > uid.txt");
        asRoot.getCommandBuilder().setUser("root");
        kit.launch(task("as-nobody", "id -u > uid.txt; id -g > gid.txt; echo data > made-by-task"), asRoot);

        assertThat(kit.terminal("as-nobody").getState()).isEqualTo(TASK_FINISHED);
        assertThat(kit.terminal("as-root").getState()).isEqualTo(TASK_FINISHED);
        Path sandbox = kit.sandbox("as-nobody");
        UserPrincipal nobody = sandbox.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
        assertThat(Files.readString(sandbox.resolve("uid.txt")).trim()).isEqualTo("65534");
        assertThat(Files.readString(sandbox.resolve("gid.txt")).trim()).isEqualTo("65534");
        assertThat(Files.getOwner(sandbox)).isEqualTo(nobody);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(sandbox))).isEqualTo("rwxr-x---");
        assertThat(Files.getOwner(sandbox.resolve("made-by-task"))).isEqualTo(nobody);
        assertThat(Files.getOwner(sandbox.resolve("stdout"))).isEqualTo(nobody);
        assertThat(Files.readString(kit.sandbox("as-root").resolve("uid.txt")).trim()).isEqualTo("0");
    }

    @Test
    void aTaskUserThatDoesNotExistFailsTheLaunchAsTheAgentSaysItAndTheGroupIsKilled() throws Exception {
        kit = ExecutingAgentKit.start(AgentRuntime.defaults());
        var ghost = task("ghost", "true");
        ghost.getCommandBuilder().setUser("no-such-user-here");
        kit.launch(ghost, task("sibling", "sleep 300"));

        TaskStatus failed = kit.failedAfterStarting("ghost");
        assertThat(failed.getMessage()).matches("Failed to create nested sandbox '.*/containers/[0-9a-f-]{36}':"
                + " Failed to chown directory to 'no-such-user-here': No such user 'no-such-user-here'");
        assertThat(failed.hasReason()).isFalse();
        assertThat(kit.untilTerminal("sibling")).extracting(TaskStatus::getState)
                .containsExactly(TASK_STARTING, TASK_RUNNING, TASK_KILLED);
    }

    @Test
    void aFrameworkUserThatDoesNotExistDropsTheGroupBeforeAnExecutorStarts() throws Exception {
        kit = ExecutingAgentKit.start(AgentRuntime.defaults(), RawScheduler.info().setUser("no-such-framework-user"));
        String executor = kit.launch(task("t", "true"));

        TaskStatus dropped = kit.terminal("t");
        assertThat(dropped.getState()).isEqualTo(TaskState.TASK_DROPPED);
        assertThat(dropped.getSource()).isEqualTo(TaskStatus.Source.SOURCE_AGENT);
        assertThat(dropped.getReason()).isEqualTo(TaskStatus.Reason.REASON_EXECUTOR_TERMINATED);
        assertThat(dropped.getMessage()).matches("Failed to create executor directory '.*/executors/" + executor
                + "/runs/[0-9a-f-]{36}': Failed to chown directory to 'no-such-framework-user': No such user"
                + " 'no-such-framework-user'");
        assertThat(kit.awaitExecutorFailure(executor).getStatus()).isEqualTo(-1);
    }

    @Test
    void aFailedTaskGetsTheRestOfItsGroupKilledAFinishedOneDoesNot() throws Exception {
        kit = ExecutingAgentKit.start(AgentRuntime.defaults(), killingAware());
        kit.launch(task("done", "exit 0"), task("waiting", "sleep 300"), task("broken", "sleep 0.5; exit 3"));

        assertThat(kit.terminal("done").getState()).isEqualTo(TASK_FINISHED);
        assertThat(kit.terminal("broken").getMessage()).isEqualTo("Command exited with status 3");
        List<TaskStatus> waiting = kit.untilTerminal("waiting");
        assertThat(waiting).extracting(TaskStatus::getState)
                .containsExactly(TASK_STARTING, TASK_RUNNING, TASK_KILLING, TASK_KILLED);
        assertThat(waiting.get(3).getMessage()).isEqualTo("Command terminated with signal Terminated");
        assertThat(kit.agent().processes()).isEmpty();
    }

    @Test
    void aKillFromTheSchedulerEndsTheTaskAfterItsGracePeriodAndTheGroupWithIt() throws Exception {
        kit = ExecutingAgentKit.start(AgentRuntime.defaults(), killingAware());
        var stubborn = task("stubborn", "trap '' TERM; sleep 300")
                .setKillPolicy(KillPolicy.newBuilder().setGracePeriod(DurationInfo.newBuilder()
                        .setNanoseconds(500_000_000L)));
        String executor = kit.launch(stubborn, task("partner", "sleep 300"));
        kit.awaitState("stubborn", TASK_RUNNING);
        kit.awaitState("partner", TASK_RUNNING);
        List<Long> pids = kit.agent().processes();
        assertThat(pids).hasSizeGreaterThanOrEqualTo(2);

        long start = System.nanoTime();
        kit.kill("stubborn");

        List<TaskStatus> killed = kit.untilTerminal("stubborn");
        assertThat(killed).extracting(TaskStatus::getState)
                .containsExactly(TASK_STARTING, TASK_RUNNING, TASK_KILLING, TASK_KILLED);
        assertThat(killed.get(3).getMessage()).as("it ignored SIGTERM: SIGKILL after its kill policy's grace")
                .isEqualTo("Command terminated with signal Killed");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(500));
        assertThat(kit.terminal("partner").getMessage()).isEqualTo("Command terminated with signal Terminated");
        assertThat(kit.awaitExecutorFailure(executor).getStatus()).isEqualTo(0);
        assertThat(pids).noneMatch(ExecutingAgentKit::alive);
    }

    @Test
    void tasksOfAnAgentShareItsNetworkSoAPortBoundTwiceCollides() throws Exception {
        kit = ExecutingAgentKit.start(AgentRuntime.defaults());
        try (StaticFiles files = new StaticFiles()) {
            URI listener = files.serve("/Listen.class", TcpListener.classFile());
            var first = task("first", "exec " + TcpListener.command(31005), 256);
            first.getCommandBuilder().addUris(CommandInfo.URI.newBuilder().setValue(listener.toString()));
            var second = task("second", "bash -c 'until (echo > /dev/tcp/127.0.0.1/31005) 2>/dev/null;"
                    + " do sleep 0.1; done'; exec " + TcpListener.command(31005), 256);
            second.getCommandBuilder().addUris(CommandInfo.URI.newBuilder().setValue(listener.toString()));
            kit.launch(first, second);

            TaskStatus collided = kit.terminal("second");
            assertThat(collided.getState()).isEqualTo(TASK_FAILED);
            assertThat(collided.getMessage()).isEqualTo("Command exited with status 1");
            assertThat(Files.readString(kit.sandbox("second").resolve("stderr"))).contains("Address already in use");
            assertThat(Files.readString(kit.sandbox("first").resolve("stdout"))).contains("listening on 31005");
            assertThat(kit.terminal("first").getState()).isEqualTo(TASK_KILLED);
        }
    }

    @Test
    void aTcpCheckIsRunAgainstTheLoopbackAndReportedWhenItsResultChanges() throws Exception {
        kit = ExecutingAgentKit.start(AgentRuntime.defaults());
        try (StaticFiles files = new StaticFiles()) {
            URI listener = files.serve("/Listen.class", TcpListener.classFile());
            var checked = task("checked", "sleep 1; exec " + TcpListener.command(31007), 256)
                    .setCheck(CheckInfo.newBuilder().setType(CheckInfo.Type.TCP)
                            .setTcp(CheckInfo.Tcp.newBuilder().setPort(31007))
                            .setDelaySeconds(0).setIntervalSeconds(0.2).setTimeoutSeconds(1));
            checked.getCommandBuilder().addUris(CommandInfo.URI.newBuilder().setValue(listener.toString()));
            kit.launch(checked);

            TaskStatus passed = kit.await("checked", s -> s.getCheckStatus().getTcp().getSucceeded());
            assertThat(passed.getState()).isEqualTo(TASK_RUNNING);
            assertThat(passed.getReason()).isEqualTo(TaskStatus.Reason.REASON_TASK_CHECK_STATUS_UPDATED);
            List<TaskStatus> all = kit.untilTerminalAfterKill("checked");
            assertThat(all).allSatisfy(s -> assertThat(s.getCheckStatus().getType()).isEqualTo(CheckInfo.Type.TCP));
            assertThat(all.get(0).getState()).isEqualTo(TASK_STARTING);
            assertThat(all.get(0).getCheckStatus().getTcp().hasSucceeded()).as("no result yet").isFalse();
            assertThat(all.get(1).getState()).isEqualTo(TASK_RUNNING);
            assertThat(all.get(1).hasReason()).isFalse();
            List<TaskStatus> checks = all.stream().filter(s -> s.getReason()
                    == TaskStatus.Reason.REASON_TASK_CHECK_STATUS_UPDATED).toList();
            assertThat(checks).extracting(s -> s.getCheckStatus().getTcp().getSucceeded())
                    .as("only changes are reported: refused while it starts, then connected").containsExactly(false,
                            true);
        }
    }

    @Test
    void aGroupOverItsExecutorsMemoryIsKilledWithTheMemoryIsolatorsLimitation() throws Exception {
        kit = ExecutingAgentKit.start(AgentRuntime.defaults());
        String executor = kit.launch(task("hungry", "head -c 400m /dev/zero | tail | sleep 60", 64),
                task("bystander", "sleep 60", 64));

        TaskStatus hungry = kit.terminal("hungry");
        assertThat(hungry.getState()).isEqualTo(TASK_FAILED);
        assertThat(hungry.getReason()).isEqualTo(TaskStatus.Reason.REASON_CONTAINER_LIMITATION_MEMORY);
        assertThat(hungry.getMessage()).as("executor 32 MB + two tasks of 64 MB share one cgroup")
                .startsWith("Command terminated with signal Killed: Memory limit exceeded: Requested: 160MB Maximum"
                        + " Used: ")
                .contains("\n\nMEMORY STATISTICS: \n");
        assertThat(hungry.getLimitation().getResources(0).getName()).isEqualTo("mem");
        assertThat(hungry.getLimitation().getResources(0).getScalar().getValue()).isGreaterThan(160);
        TaskStatus bystander = kit.terminal("bystander");
        assertThat(bystander.getState()).as("the whole executor container was destroyed").isEqualTo(TASK_FAILED);
        assertThat(bystander.getReason()).isEqualTo(TaskStatus.Reason.REASON_CONTAINER_LIMITATION_MEMORY);
        assertThat(kit.awaitExecutorFailure(executor).getStatus()).as("the executor was killed too").isEqualTo(9);
    }

    @Test
    void aTaskWithItsOwnCgroupIsKilledAloneAndItsGroupFollowsThePolicy() throws Exception {
        kit = ExecutingAgentKit.start(AgentRuntime.defaults());
        var hungry = task("hungry", "head -c 400m /dev/zero | tail | sleep 60", 64)
                .setContainer(ContainerInfo.newBuilder().setType(ContainerInfo.Type.MESOS)
                        .setLinuxInfo(LinuxInfo.newBuilder().setShareCgroups(false)));
        var other = task("other", "sleep 60", 64).setContainer(ContainerInfo.newBuilder()
                .setType(ContainerInfo.Type.MESOS).setLinuxInfo(LinuxInfo.newBuilder().setShareCgroups(false)));
        kit.launch(hungry, other);

        TaskStatus killed = kit.terminal("hungry");
        assertThat(killed.getReason()).isEqualTo(TaskStatus.Reason.REASON_CONTAINER_LIMITATION_MEMORY);
        assertThat(killed.getMessage()).startsWith("Command terminated with signal Killed: Memory limit exceeded:"
                + " Requested: 64MB Maximum Used: ");
        TaskStatus sibling = kit.terminal("other");
        assertThat(sibling.getState()).isEqualTo(TASK_KILLED);
        assertThat(sibling.getMessage()).isEqualTo("Command terminated with signal Terminated");
    }

    @Test
    void anUnacknowledgedUpdateIsResentWithTheSameUuid() throws Exception {
        kit = ExecutingAgentKit.start(AgentRuntime.defaults());
        kit.launch(task("t", "sleep 300"));
        TaskStatus first = kit.scheduler.update("t", ExecutingAgentKit.WAIT); // read, not acknowledged
        TaskStatus again = kit.scheduler.update("t", ExecutingAgentKit.WAIT);
        assertThat(first.getState()).isEqualTo(TASK_STARTING);
        assertThat(again.getUuid()).isEqualTo(first.getUuid());
    }

    @Test
    void aKilledAgentTakesItsProcessesWithItAndTheMasterReportsItsTasksGone() throws Exception {
        kit = ExecutingAgentKit.start(AgentRuntime.defaults());
        kit.launch(task("doomed", "sleep 300 & sleep 300"));
        kit.awaitState("doomed", TASK_RUNNING);
        List<Long> pids = kit.agent().processes();
        assertThat(pids).hasSize(3); // sh and its two sleeps

        kit.master.killAgent(ExecutingAgentKit.AGENT);

        TaskStatus gone = kit.terminal("doomed");
        assertThat(gone.getState()).isEqualTo(TaskState.TASK_GONE);
        assertThat(gone.getReason()).isEqualTo(TaskStatus.Reason.REASON_AGENT_REMOVED);
        assertThat(gone.getSource()).isEqualTo(TaskStatus.Source.SOURCE_MASTER);
        assertThat(pids).noneMatch(ExecutingAgentKit::alive);
    }

    @Test
    void closingThePeerLeavesNoProcessBehind() throws Exception {
        kit = ExecutingAgentKit.start(AgentRuntime.defaults());
        kit.launch(task("a", "sleep 300 & sleep 300"), task("b", "exec sleep 300"));
        kit.awaitState("a", TASK_RUNNING);
        kit.awaitState("b", TASK_RUNNING);
        List<Long> pids = kit.agent().processes();
        Path workDir = kit.agent().workDir();
        assertThat(pids).hasSize(4);

        kit.close();
        kit = null;

        assertThat(pids).noneMatch(ExecutingAgentKit::alive);
        assertThat(workDir).as("the temporary work directory is removed").doesNotExist();
    }

    /** A task with {@code shell: false}: {@code value} is the executable, {@code argv} its argv (argv[0] first). */
    private static org.apache.mesos.v1.Protos.TaskInfo.Builder argv(String id, String value, String... argv) {
        return task(id, "").setCommand(CommandInfo.newBuilder().setShell(false).setValue(value)
                .addAllArguments(Arrays.asList(argv)));
    }

    private static FrameworkInfo.Builder killingAware() {
        return RawScheduler.info().addCapabilities(FrameworkInfo.Capability.newBuilder()
                .setType(FrameworkInfo.Capability.Type.TASK_KILLING_STATE));
    }
}
