package io.snapci.scheduler.mesos.launch;

import com.fasterxml.jackson.databind.JsonNode;
import io.snapci.model.CassandraSettings;
import io.snapci.model.Json;
import io.snapci.model.RunSpec;
import io.snapci.model.RunStatus;
import io.snapci.model.Source;
import io.snapci.model.tasks.NodeTask;
import io.snapci.scheduler.mesos.TestLaunch;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** What the cassandra task is told about the node it boots: the run's own settings, sized by the task. */
class TaskGroupFactoryTest {

    private static JsonNode nodeSettings(CassandraSettings asked) throws Exception {
        RunStatus run = RunStatus.queued("r1", new RunSpec(Source.volume("cassandra-prod"), "mvn -q test",
                "maven:3-eclipse-temurin-17", null, Map.of(), null, null, asked, Map.of()), Instant.now());
        TaskGroupFactory.Launch launch = new TaskGroupFactory(TestLaunch.config("http://x/executor.tgz")).build(run,
                "snapci-r1", new TaskGroupFactory.Placement(FrameworkID.newBuilder().setValue("f").build(),
                        AgentID.newBuilder().setValue("a").build(), new RunPorts(31000, 31001, 31002), 1));
        TaskInfo cassandra = launch.group().getTasksList().stream().filter(t -> t.getName().equals("cassandra"))
                .findFirst().orElseThrow();
        String json = cassandra.getCommand().getEnvironment().getVariablesList().stream()
                .filter(v -> v.getName().equals(NodeTask.SETTINGS)).findFirst().orElseThrow().getValue();
        return Json.mapper().readTree(json);
    }

    @Test
    void aRunThatTurnsTheFastStartOffGetsANodeStartedAsUsualAndOtherwiseItIsOn() throws Exception {
        JsonNode off = nodeSettings(new CassandraSettings(null, null, null, null, List.of(), null, false));
        assertThat(off.path("fastStart").asBoolean(true)).isFalse();
        assertThat(off.path("cqlPort").asInt()).as("the offered CQL port").isEqualTo(31000);

        JsonNode unset = nodeSettings(null);
        assertThat(unset.path("fastStart").asBoolean(true)).as("no choice made: on, the default").isTrue();
    }

    @Test
    void aClusterCopyIsEveryNodesCloneMountedBesideTheFirstAndTheNodeCountTold() {
        RunStatus run = RunStatus.queued("r1", new RunSpec(Source.volumes(List.of("c-0", "c-1", "c-2")),
                "mvn -q test", "maven:3-eclipse-temurin-17", null, Map.of(), null, null, null, Map.of()),
                Instant.now());
        TaskInfo cassandra = new TaskGroupFactory(TestLaunch.config("http://x/executor.tgz")).build(run,
                List.of("snapci-r1", "snapci-r1-node-2", "snapci-r1-node-3"), new TaskGroupFactory.Placement(
                        FrameworkID.newBuilder().setValue("f").build(), AgentID.newBuilder().setValue("a").build(),
                        new RunPorts(31000, 31001, 31002), 1))
                .group().getTasksList().stream().filter(t -> t.getName().equals("cassandra")).findFirst()
                .orElseThrow();

        assertThat(cassandra.getContainer().getVolumesList()).extracting(v -> v.getContainerPath() + "="
                + v.getSource().getDockerVolume().getDriver() + ":" + v.getSource().getDockerVolume().getName()
                + ":" + v.getMode()).containsExactly("snapci-copy=pxd:snapci-r1:RW",
                "snapci-copy-2=pxd:snapci-r1-node-2:RW", "snapci-copy-3=pxd:snapci-r1-node-3:RW");
        assertThat(cassandra.getCommand().getEnvironment().getVariablesList())
                .anySatisfy(v -> assertThat(v.getName() + "=" + v.getValue()).isEqualTo(NodeTask.COPY_NODES + "=3"));
    }

    @Test
    void aMaskedRunTellsOnlyTheCassandraTaskItsRulesAndTheTestsWaitUpToTheRunsDeadline() throws Exception {
        io.snapci.model.mask.MaskRules rules = io.snapci.model.mask.MaskRules.parse(
                "shop.customers.email: email\ndelete shop.customers where name = 'QA'");
        RunStatus run = RunStatus.queued("r1", new RunSpec(Source.volume("cassandra-prod"), "mvn -q test",
                "maven:3-eclipse-temurin-17", null, Map.of(), null, new io.snapci.model.Timeouts(
                java.time.Duration.ofMinutes(2), null, java.time.Duration.ofMinutes(45)), null, Map.of(), rules),
                Instant.now());
        List<TaskInfo> tasks = new TaskGroupFactory(TestLaunch.config("http://x/executor.tgz")).build(run,
                "snapci-r1", new TaskGroupFactory.Placement(FrameworkID.newBuilder().setValue("f").build(),
                        AgentID.newBuilder().setValue("a").build(), new RunPorts(31000, 31001, 31002), 1))
                .group().getTasksList();
        Map<String, String> cassandra = env(tasks, "cassandra");
        Map<String, String> tests = env(tasks, "tests");

        assertThat(Json.mapper().readValue(cassandra.get(NodeTask.MASK), io.snapci.model.mask.MaskRules.class))
                .isEqualTo(rules);
        assertThat(tests).doesNotContainKey(NodeTask.MASK);
        assertThat(tests.get(io.snapci.model.tasks.TestsTask.READY_TIMEOUT)).isEqualTo("PT45M");
        assertThat(cassandra.get(io.snapci.model.tasks.TestsTask.READY_TIMEOUT)).as("the node's own boot")
                .isEqualTo("PT2M");
        assertThat(env(new TaskGroupFactory(TestLaunch.config("http://x/executor.tgz")).build(
                RunStatus.queued("r2", run.spec().withMask(null), Instant.now()), "snapci-r2",
                new TaskGroupFactory.Placement(FrameworkID.newBuilder().setValue("f").build(),
                        AgentID.newBuilder().setValue("a").build(), new RunPorts(31000, 31001, 31002), 1))
                .group().getTasksList(), "cassandra")).as("unmasked").doesNotContainKey(NodeTask.MASK);
    }

    @Test
    void aMaskedRunsCassandraTaskAloneGetsTheServicesKeyAsAFileBasedSecretByNameNeverByValue() {
        MesosLaunchConfig withSecret = TestLaunch.config("http://x/executor.tgz", "snapci/mask-key", null);
        RunStatus masked = RunStatus.queued("r1", new RunSpec(Source.volume("cassandra-prod"), "mvn -q test",
                "maven:3-eclipse-temurin-17", null, Map.of(), null, null, null, Map.of(),
                io.snapci.model.mask.MaskRules.parse("shop.customers.email: email")), Instant.now());
        List<TaskInfo> tasks = new TaskGroupFactory(withSecret).build(masked, "snapci-r1", WHERE).group()
                .getTasksList();
        TaskInfo cassandra = task(tasks, "cassandra");

        org.apache.mesos.v1.Protos.Volume secret = cassandra.getContainer().getVolumesList().stream()
                .filter(v -> v.getSource().getType() == org.apache.mesos.v1.Protos.Volume.Source.Type.SECRET)
                .findFirst().orElseThrow();
        assertThat(secret.getContainerPath()).isEqualTo(NodeTask.MASK_KEY_FILE);
        assertThat(secret.getMode()).isEqualTo(org.apache.mesos.v1.Protos.Volume.Mode.RO);
        assertThat(secret.getSource().getSecret().getType())
                .isEqualTo(org.apache.mesos.v1.Protos.Secret.Type.REFERENCE);
        assertThat(secret.getSource().getSecret().getReference().getName()).isEqualTo("snapci/mask-key");
        assertThat(secret.getSource().getSecret().hasValue()).isFalse();
        assertThat(env(tasks, "cassandra")).containsEntry(NodeTask.MASK_KEY_SECRET, "snapci/mask-key");
        TaskInfo testsTask = tasks.stream().filter(t -> t.getName().equals("tests")).findFirst().orElseThrow();
        assertThat(testsTask.getContainer().getVolumesList()).as("the tests task").isEmpty();
        assertThat(env(tasks, "tests")).doesNotContainKey(NodeTask.MASK_KEY_SECRET);

        TaskInfo unmasked = new TaskGroupFactory(withSecret).build(RunStatus.queued("r2",
                masked.spec().withMask(null), Instant.now()), "snapci-r2", WHERE).group().getTasksList().stream()
                .filter(t -> t.getName().equals("cassandra")).findFirst().orElseThrow();
        assertThat(unmasked.getContainer().getVolumesList()).as("an unmasked run needs no key")
                .noneMatch(v -> v.getSource().getType() == org.apache.mesos.v1.Protos.Volume.Source.Type.SECRET);
    }

    @Test
    void theAgentsClassArchiveDirectoryIsAHostPathVolumeInTheCassandraTasksSandboxWhenTheServiceHasOne() {
        MesosLaunchConfig base = TestLaunch.config("http://x/executor.tgz");
        MesosLaunchConfig withArchives = TestLaunch.config("http://x/executor.tgz", null,
                "/var/lib/snapci/class-archives");
        RunStatus run = RunStatus.queued("r1", new RunSpec(Source.volume("cassandra-prod"), "mvn -q test",
                "maven:3-eclipse-temurin-17", null, Map.of(), null, null, null, Map.of()), Instant.now());
        List<TaskInfo> tasks = new TaskGroupFactory(withArchives).build(run, "snapci-r1", WHERE).group()
                .getTasksList();
        TaskInfo cassandra = task(tasks, "cassandra");

        org.apache.mesos.v1.Protos.Volume archives = cassandra.getContainer().getVolumesList().stream()
                .filter(v -> v.getSource().getType() == org.apache.mesos.v1.Protos.Volume.Source.Type.HOST_PATH)
                .findFirst().orElseThrow();
        assertThat(archives.getContainerPath()).isEqualTo(NodeTask.CLASS_ARCHIVES_DIR);
        assertThat(archives.getSource().getHostPath().getPath()).isEqualTo("/var/lib/snapci/class-archives");
        assertThat(archives.getMode()).isEqualTo(org.apache.mesos.v1.Protos.Volume.Mode.RW);
        assertThat(env(tasks, "cassandra")).containsEntry(NodeTask.CLASS_ARCHIVES, NodeTask.CLASS_ARCHIVES_DIR);

        TaskInfo without = new TaskGroupFactory(base).build(run, "snapci-r1", WHERE).group().getTasksList().stream()
                .filter(t -> t.getName().equals("cassandra")).findFirst().orElseThrow();
        assertThat(without.getContainer().getVolumesList()).as("no archive directory configured")
                .noneMatch(v -> v.getSource().getType() == org.apache.mesos.v1.Protos.Volume.Source.Type.HOST_PATH);
        assertThat(env(List.of(without), "cassandra")).doesNotContainKey(NodeTask.CLASS_ARCHIVES);
    }

    /** Where the unit tests' task groups go: agent a, ports from 31000, the first attempt. */
    private static final TaskGroupFactory.Placement WHERE = new TaskGroupFactory.Placement(
            FrameworkID.newBuilder().setValue("f").build(), AgentID.newBuilder().setValue("a").build(),
            new RunPorts(31000, 31001, 31002), 1);

    private static TaskInfo task(List<TaskInfo> tasks, String name) {
        return tasks.stream().filter(t -> t.getName().equals(name)).findFirst().orElseThrow();
    }

    private static Map<String, String> env(List<TaskInfo> tasks, String name) {
        Map<String, String> env = new java.util.LinkedHashMap<>();
        tasks.stream().filter(t -> t.getName().equals(name)).findFirst().orElseThrow().getCommand().getEnvironment()
                .getVariablesList().forEach(v -> env.put(v.getName(), v.getValue()));
        return env;
    }
}
