package io.snapci.scheduler.mesos.launch;

import io.snapci.model.CassandraSettings;
import io.snapci.model.Json;
import io.snapci.model.tasks.NodeTask;
import io.snapci.model.tasks.TestsTask;

import io.snapci.model.RunSpec;
import io.snapci.model.RunStatus;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.CheckInfo;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.apache.mesos.v1.Protos.DurationInfo;
import org.apache.mesos.v1.Protos.KillPolicy;
import org.apache.mesos.v1.Protos.ContainerInfo;
import org.apache.mesos.v1.Protos.Environment;
import org.apache.mesos.v1.Protos.ExecutorID;
import org.apache.mesos.v1.Protos.ExecutorInfo;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.Image;
import org.apache.mesos.v1.Protos.Label;
import org.apache.mesos.v1.Protos.Labels;
import org.apache.mesos.v1.Protos.Parameter;
import org.apache.mesos.v1.Protos.Parameters;
import org.apache.mesos.v1.Protos.Resource;
import org.apache.mesos.v1.Protos.Secret;
import org.apache.mesos.v1.Protos.TaskGroupInfo;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.Value;
import org.apache.mesos.v1.Protos.Volume;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the LAUNCH_GROUP of one run: the DEFAULT executor (resources only, no command or container: the agent
 * supplies it) and two tasks sharing its network namespace, both running snapci's executor bundle (fetched by URI,
 * cached per agent) — {@code cassandra}: the Cassandra image, the run's copy mounted as a docker volume
 * ({@code Volume.Source.DOCKER_VOLUME}, driver {@code pxd}) under the sandbox, and snapci's node launcher booting
 * the image's Cassandra on it with the offered ports (the code local runs boot with), with a TCP check on its CQL
 * port (for a masked run, the launcher masks the copy before it listens there); and {@code tests}: the user's image, waiting for CQL, running the test command and leaving its results in
 * the sandbox.
 */
public final class TaskGroupFactory {

    private final MesosLaunchConfig config;

    public TaskGroupFactory(MesosLaunchConfig config) {
        this.config = config;
    }

    /** Where the run goes and with which ports. */
    public record Placement(FrameworkID frameworkId, AgentID agentId, RunPorts ports, int attempt) {
    }

    /** The executor and task group for one ACCEPT's LAUNCH_GROUP operation. */
    public record Launch(ExecutorInfo executor, TaskGroupInfo group) {
    }

    public Launch build(RunStatus run, String volumeName, Placement where) {
        return build(run, java.util.List.of(volumeName), where);
    }

    /**
     * @param volumeNames the copy's volumes: one, or a cluster source's node volumes in node order (node 1's first),
     *                    mounted at {@value NodeTask#COPY_DIR} and {@code snapci-copy-<n>} for n = 2..N
     */
    public Launch build(RunStatus run, java.util.List<String> volumeNames, Placement where) {
        RunSpec spec = run.spec();
        String role = config.role();
        ExecutorInfo executor = ExecutorInfo.newBuilder()
                .setType(ExecutorInfo.Type.DEFAULT)
                .setExecutorId(ExecutorID.newBuilder().setValue(TaskNames.id(run.id(), TaskNames.EXECUTOR, where.attempt())))
                .setFrameworkId(where.frameworkId())
                .addResources(scalar("cpus", config.executorCpus(), role))
                .addResources(scalar("mem", config.executorMemMb(), role))
                .addResources(scalar("disk", config.executorDiskMb(), role))
                .setContainer(ContainerInfo.newBuilder().setType(ContainerInfo.Type.MESOS))
                .build();
        TaskGroupInfo group = TaskGroupInfo.newBuilder()
                .addTasks(cassandraTask(run, volumeNames, where))
                .addTasks(testsTask(run, where))
                .build();
        return new Launch(executor, group);
    }

    /** A relative container path: mounted under the task's sandbox whatever the image keeps where
     * (src/slave/containerizer/mesos/isolators/docker/volume/isolator.cpp), found there by the node launcher. */
    private Volume copyVolume(String containerPath, String volumeName) {
        Parameters.Builder options = Parameters.newBuilder();
        config.volumeDriverOptions().forEach((k, v) -> options.addParameter(Parameter.newBuilder().setKey(k).setValue(v)));
        return volume(containerPath, Volume.Mode.RW, Volume.Source.newBuilder()
                .setType(Volume.Source.Type.DOCKER_VOLUME)
                .setDockerVolume(Volume.Source.DockerVolume.newBuilder()
                        .setDriver(config.volumeDriver())
                        .setName(volumeName)
                        .setDriverOptions(options)));
    }

    /**
     * The service's masking key as a file-based secret (mesos docs/secrets.md, "File-based Secrets"): the task names
     * the secret, never its value, so the key is in no TaskInfo, state endpoint or log; the agent resolves it and
     * mounts it read-only on a ramfs in this container alone, at a path relative to the sandbox
     * (src/slave/containerizer/mesos/isolators/volume/secret.cpp:219-283) — the tests task, a sibling container,
     * has no such mount.
     */
    private static Volume maskKeyVolume(String secretName) {
        return volume(NodeTask.MASK_KEY_FILE, Volume.Mode.RO, Volume.Source.newBuilder()
                .setType(Volume.Source.Type.SECRET)
                .setSecret(Secret.newBuilder()
                        .setType(Secret.Type.REFERENCE)
                        .setReference(Secret.Reference.newBuilder().setName(secretName))));
    }

    /**
     * The agent's directory for the node's class-data archive, kept across runs: a HOST_PATH volume at a relative
     * container path, mounted in the sandbox whatever the image (mesos
     * src/slave/containerizer/mesos/isolators/volume/host_path.cpp:140-175, 261-305). The agent's first run builds
     * the archive there, later runs start with it; a missing or stale one only costs the speed (docs/fast-start.md).
     */
    private static Volume classArchivesVolume(String hostPath) {
        return volume(NodeTask.CLASS_ARCHIVES_DIR, Volume.Mode.RW, Volume.Source.newBuilder()
                .setType(Volume.Source.Type.HOST_PATH)
                .setHostPath(Volume.Source.HostPath.newBuilder().setPath(hostPath)));
    }

    private static Volume volume(String containerPath, Volume.Mode mode, Volume.Source.Builder source) {
        return Volume.newBuilder().setContainerPath(containerPath).setMode(mode).setSource(source).build();
    }

    private TaskInfo cassandraTask(RunStatus run, java.util.List<String> volumeNames, Placement where) {
        String role = config.role();
        ContainerInfo.Builder container = ContainerInfo.newBuilder()
                .setType(ContainerInfo.Type.MESOS)
                .setMesos(ContainerInfo.MesosInfo.newBuilder().setImage(dockerImage(config.cassandraImage())));
        for (int n = 1; n <= volumeNames.size(); n++) {
            container.addVolumes(copyVolume(NodeTask.copyDir(n), volumeNames.get(n - 1)));
        }
        CassandraSettings settings = run.spec().cassandra();
        // The heap from the task's memory unless the run asked for one: half, as cassandra-env.sh sizes it.
        CassandraSettings sized = new CassandraSettings(run.spec().cassandra().heap().equals(CassandraSettings.DEFAULT_HEAP)
                ? config.cassandraMemMb() / 2 + "m" : settings.heap(), settings.datacenter(), settings.rack(),
                settings.partitioner(), settings.jvmOptions(), where.ports().cql(), settings.fastStart())
                .withVersion(settings.version()); // the node task checks it against production's files
        Map<String, String> env = new LinkedHashMap<>();
        env.put(TestsTask.RUN_ID, run.id());
        env.put(TestsTask.CASSANDRA_PORT, String.valueOf(where.ports().cql()));
        env.put(NodeTask.STORAGE_PORT, String.valueOf(where.ports().storage()));
        env.put(NodeTask.JMX_PORT, String.valueOf(where.ports().jmx()));
        env.put(TestsTask.READY_TIMEOUT, run.spec().timeouts().cassandraReady().toString());
        env.put(NodeTask.SETTINGS, json(sized));
        if (volumeNames.size() > 1) {
            env.put(NodeTask.COPY_NODES, String.valueOf(volumeNames.size()));
        }
        if (config.classArchiveHostPath() != null) {
            container.addVolumes(classArchivesVolume(config.classArchiveHostPath()));
            env.put(NodeTask.CLASS_ARCHIVES, NodeTask.CLASS_ARCHIVES_DIR); // relative: in the sandbox
        }
        if (!run.spec().mask().isEmpty()) {
            // The rules name columns and transforms, never data values or the hash's key.
            env.put(NodeTask.MASK, json(run.spec().mask()));
            if (config.maskKeySecret() != null) {
                container.addVolumes(maskKeyVolume(config.maskKeySecret()));
                env.put(NodeTask.MASK_KEY_SECRET, config.maskKeySecret());
            }
        }
        return TaskInfo.newBuilder()
                .setName(TaskNames.CASSANDRA)
                .setTaskId(TaskID.newBuilder().setValue(TaskNames.id(run.id(), TaskNames.CASSANDRA, where.attempt())))
                .setAgentId(where.agentId())
                .addResources(scalar("cpus", config.cassandraCpus(), role))
                .addResources(scalar("mem", config.cassandraMemMb(), role))
                .addResources(ports(role, where.ports().cql(), where.ports().storage(), where.ports().jmx()))
                .setCommand(CommandInfo.newBuilder()
                        .setShell(true)
                        // The launcher starts as the task's user (root: it reads the copy's owner and runs the node
                        // as that uid, without chowning the copy) and never relative to the image's WORKDIR.
                        .setValue("exec \"$MESOS_SANDBOX/snapci-executor/bin/snapci-node-task\"")
                        .setUser(config.cassandraTaskUser())
                        .addUris(executorBundle())
                        .setEnvironment(environment(env)))
                .setContainer(container)
                .setCheck(CheckInfo.newBuilder()
                        .setType(CheckInfo.Type.TCP)
                        .setTcp(CheckInfo.Tcp.newBuilder().setPort(where.ports().cql()))
                        // The run's TESTING phase is the first success the agent reports: a half-second interval
                        // keeps it within 0.5 s of the node answering (the fast start takes over a second, so
                        // checking from 1 s on wastes nothing). The agent sends an update only when the result
                        // changes (src/checks/checker.cpp:173), so checking often costs no updates.
                        .setDelaySeconds(1).setIntervalSeconds(0.5).setTimeoutSeconds(2))
                // When the scheduler kills it after the tests, the launcher drains the node (bounded at 15 s):
                // the default grace period is 3 s (src/launcher/default_executor.cpp:1164-1169).
                .setKillPolicy(KillPolicy.newBuilder().setGracePeriod(DurationInfo.newBuilder()
                        .setNanoseconds(java.time.Duration.ofSeconds(20).toNanos())))
                .setLabels(labels(run))
                .build();
    }

    /** snapci's executor bundle: fetched once per agent (the fetcher's cache, keyed user and URI), unpacked per task. */
    private CommandInfo.URI executorBundle() {
        return CommandInfo.URI.newBuilder().setValue(config.executorArtifactUri()).setExtract(true).setCache(true)
                .build();
    }

    private TaskInfo testsTask(RunStatus run, Placement where) {
        RunSpec spec = run.spec();
        String role = config.role();
        // The Cassandra task shares this network namespace: the copy is on the loopback address.
        Map<String, String> env = TestsTask.testEnvironment(spec.env(), run.id(), "127.0.0.1", where.ports().cql(),
                spec.cassandra().datacenter(), where.ports().jmx());
        env.put(TestsTask.TEST_COMMAND, spec.testCommand());
        // A masked copy answers where the tests connect only once masking is done, which may take far longer than a
        // boot: the tests wait up to the run's own deadline then (a masking that fails ends the group sooner).
        env.put(TestsTask.READY_TIMEOUT, (spec.mask().isEmpty() ? spec.timeouts().cassandraReady()
                : spec.timeouts().run()).toString());
        env.put(TestsTask.TEST_TIMEOUT, spec.timeouts().tests().toString());
        if (spec.junitGlob() != null) {
            env.put(TestsTask.JUNIT_GLOB, spec.junitGlob());
        }
        TaskInfo.Builder task = TaskInfo.newBuilder()
                .setName(TaskNames.TESTS)
                .setTaskId(TaskID.newBuilder().setValue(TaskNames.id(run.id(), TaskNames.TESTS, where.attempt())))
                .setAgentId(where.agentId())
                .addResources(scalar("cpus", config.testsCpus(), role))
                .addResources(scalar("mem", config.testsMemMb(), role))
                .setCommand(CommandInfo.newBuilder()
                        .setShell(true)
                        // Absolute: with an image, the task's cwd is the image's WorkingDir
                        // (src/slave/containerizer/mesos/isolators/docker/runtime.cpp), not the sandbox.
                        .setValue("exec \"$MESOS_SANDBOX/snapci-executor/bin/snapci-tests-task\"")
                        .addUris(executorBundle())
                        .setEnvironment(environment(env)))
                .setLabels(labels(run));
        if (spec.testImage() != null) {
            task.setContainer(ContainerInfo.newBuilder()
                    .setType(ContainerInfo.Type.MESOS)
                    .setMesos(ContainerInfo.MesosInfo.newBuilder().setImage(dockerImage(spec.testImage()))));
        }
        return task.build();
    }

    private static String json(Object value) {
        try {
            return Json.mapper().writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value + " as JSON", e);
        }
    }

    private static Image dockerImage(String name) {
        return Image.newBuilder().setType(Image.Type.DOCKER).setDocker(Image.Docker.newBuilder().setName(name)).build();
    }

    private static Environment environment(Map<String, String> env) {
        Environment.Builder builder = Environment.newBuilder();
        env.forEach((k, v) -> builder.addVariables(Environment.Variable.newBuilder().setName(k).setValue(v)));
        return builder.build();
    }

    private static Labels labels(RunStatus run) {
        return Labels.newBuilder()
                .addLabels(Label.newBuilder().setKey("created-by").setValue("snapci"))
                .addLabels(Label.newBuilder().setKey("snapci-run").setValue(run.id()))
                .build();
    }

    static Resource scalar(String name, double value, String role) {
        return Resource.newBuilder().setName(name).setType(Value.Type.SCALAR)
                .setScalar(Value.Scalar.newBuilder().setValue(value))
                .setAllocationInfo(Resource.AllocationInfo.newBuilder().setRole(role))
                .build();
    }

    static Resource ports(String role, int... ports) {
        Value.Ranges.Builder ranges = Value.Ranges.newBuilder();
        for (int port : ports) {
            ranges.addRange(Value.Range.newBuilder().setBegin(port).setEnd(port));
        }
        return Resource.newBuilder().setName("ports").setType(Value.Type.RANGES).setRanges(ranges)
                .setAllocationInfo(Resource.AllocationInfo.newBuilder().setRole(role))
                .build();
    }

    /** Every resource of a launch, for checking it against what an offer holds. */
    public static List<Resource> allResources(Launch launch) {
        List<Resource> all = new java.util.ArrayList<>(launch.executor().getResourcesList());
        launch.group().getTasksList().forEach(t -> all.addAll(t.getResourcesList()));
        return all;
    }
}
