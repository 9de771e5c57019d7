package io.snapci.scheduler.mesos.launch;

import io.snapci.model.tasks.TestsTask;

import io.snapci.model.RunSpec;
import io.snapci.model.RunStatus;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.CheckInfo;
import org.apache.mesos.v1.Protos.CommandInfo;
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
 * supplies it) and two tasks sharing its network namespace —
 * {@code cassandra}, the Cassandra image with the run's copy mounted at its data path as a docker volume
 * ({@code Volume.Source.DOCKER_VOLUME}, driver {@code pxd}), with a TCP check on its CQL port; and {@code tests},
 * the user's image running snapci's executor bundle (fetched by URI), which waits for CQL, runs the test command
 * and writes the results into the sandbox.
 */
public final class TaskGroupFactory {

    private final MesosLaunchConfig config;

    public TaskGroupFactory(MesosLaunchConfig config) {
        this.config = config;
    }

    /** Where the run goes and with which ports. */
    public record Placement(FrameworkID frameworkId, AgentID agentId, int cqlPort, int storagePort, int attempt) {
    }

    /** The executor and task group for one ACCEPT's LAUNCH_GROUP operation. */
    public record Launch(ExecutorInfo executor, TaskGroupInfo group) {
    }

    public Launch build(RunStatus run, String volumeName, Placement where) {
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
                .addTasks(cassandraTask(run, volumeName, where))
                .addTasks(testsTask(run, where))
                .build();
        return new Launch(executor, group);
    }

    private TaskInfo cassandraTask(RunStatus run, String volumeName, Placement where) {
        String role = config.role();
        Parameters.Builder options = Parameters.newBuilder();
        config.volumeDriverOptions().forEach((k, v) -> options.addParameter(Parameter.newBuilder().setKey(k).setValue(v)));
        Volume copy = Volume.newBuilder()
                .setContainerPath(config.cassandraDataPath())
                .setMode(Volume.Mode.RW)
                .setSource(Volume.Source.newBuilder()
                        .setType(Volume.Source.Type.DOCKER_VOLUME)
                        .setDockerVolume(Volume.Source.DockerVolume.newBuilder()
                                .setDriver(config.volumeDriver())
                                .setName(volumeName)
                                .setDriverOptions(options)))
                .build();
        int heapMb = config.cassandraMemMb() / 2;
        Map<String, String> env = new LinkedHashMap<>();
        env.put("CASSANDRA_CLUSTER_NAME", "snapci-" + run.id());
        env.put("CASSANDRA_DC", run.spec().cassandra().datacenter());
        env.put("CASSANDRA_RACK", run.spec().cassandra().rack());
        env.put("CASSANDRA_ENDPOINT_SNITCH", "GossipingPropertyFileSnitch");
        env.put("CASSANDRA_SEEDS", "127.0.0.1");
        env.put("MAX_HEAP_SIZE", heapMb + "M");
        env.put("HEAP_NEWSIZE", Math.max(64, heapMb / 4) + "M");
        // The same identity rules as a local copy: its own ring, its own ports, no waiting on gossip.
        env.put("JVM_EXTRA_OPTS", "-Dcassandra.load_ring_state=false -Dcassandra.skip_wait_for_gossip_to_settle=0"
                + " -Dcassandra.native_transport_port=" + where.cqlPort()
                + " -Dcassandra.storage_port=" + where.storagePort());
        // Forget the source node's identity before the image's entrypoint boots it (see CloneIdentity locally).
        String identityReset = "rm -rf " + config.cassandraDataPath() + "/data/system/local-* "
                + config.cassandraDataPath() + "/data/system/peers-* " + config.cassandraDataPath()
                + "/data/system/peers_v2-* && exec docker-entrypoint.sh cassandra -f";
        return TaskInfo.newBuilder()
                .setName(TaskNames.CASSANDRA)
                .setTaskId(TaskID.newBuilder().setValue(TaskNames.id(run.id(), TaskNames.CASSANDRA, where.attempt())))
                .setAgentId(where.agentId())
                .addResources(scalar("cpus", config.cassandraCpus(), role))
                .addResources(scalar("mem", config.cassandraMemMb(), role))
                .addResources(ports(role, where.cqlPort(), where.storagePort()))
                .setCommand(CommandInfo.newBuilder().setShell(true).setValue(identityReset).setEnvironment(environment(env)))
                .setContainer(ContainerInfo.newBuilder()
                        .setType(ContainerInfo.Type.MESOS)
                        .setMesos(ContainerInfo.MesosInfo.newBuilder().setImage(dockerImage(config.cassandraImage())))
                        .addVolumes(copy))
                .setCheck(CheckInfo.newBuilder()
                        .setType(CheckInfo.Type.TCP)
                        .setTcp(CheckInfo.Tcp.newBuilder().setPort(where.cqlPort()))
                        .setDelaySeconds(5).setIntervalSeconds(2).setTimeoutSeconds(2))
                .setLabels(labels(run))
                .build();
    }

    private TaskInfo testsTask(RunStatus run, Placement where) {
        RunSpec spec = run.spec();
        String role = config.role();
        // The Cassandra task shares this network namespace: the copy is on the loopback address.
        Map<String, String> env = TestsTask.testEnvironment(spec.env(), run.id(), "127.0.0.1", where.cqlPort(),
                spec.cassandra().datacenter(), null);
        env.put(TestsTask.TEST_COMMAND, spec.testCommand());
        env.put(TestsTask.READY_TIMEOUT, spec.timeouts().cassandraReady().toString());
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
                        .setValue("exec ./snapci-executor/bin/snapci-tests-task")
                        .addUris(CommandInfo.URI.newBuilder().setValue(config.executorArtifactUri()).setExtract(true))
                        .setEnvironment(environment(env)))
                .setLabels(labels(run));
        if (spec.testImage() != null) {
            task.setContainer(ContainerInfo.newBuilder()
                    .setType(ContainerInfo.Type.MESOS)
                    .setMesos(ContainerInfo.MesosInfo.newBuilder().setImage(dockerImage(spec.testImage()))));
        }
        return task.build();
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
