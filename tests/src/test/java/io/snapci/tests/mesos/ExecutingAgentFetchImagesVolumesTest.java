package io.snapci.tests.mesos;

import static io.snapci.tests.mesos.ExecutingAgentKit.task;
import static org.apache.mesos.v1.Protos.TaskState.TASK_FINISHED;
import static org.apache.mesos.v1.Protos.TaskState.TASK_KILLED;
import static org.apache.mesos.v1.Protos.TaskState.TASK_RUNNING;
import static org.apache.mesos.v1.Protos.TaskState.TASK_STARTING;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.snapci.scheduler.mesos.sandbox.AgentFiles;
import io.snapci.scheduler.mesos.transport.NoAuth;
import io.snapci.tests.mesos.agent.AgentRuntime;
import io.snapci.tests.mesos.agent.DockerVolumeResolver;
import io.snapci.tests.mesos.agent.ImageCatalogue;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.apache.mesos.v1.Protos.ContainerInfo;
import org.apache.mesos.v1.Protos.Image;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.Protos.Volume;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an executing agent does before a command runs, as mesos 1.11.0 does it: the fetcher (download, extraction,
 * the per-agent cache keyed by user and URI), images (WorkingDir, Env; USER ignored; an unknown image fails like a
 * failed pull), docker volumes through a resolver, launch failures worded as the agent words them, and the
 * {@code /files} API over the real sandboxes.
 */
class ExecutingAgentFetchImagesVolumesTest {

    @TempDir
    Path tmp;

    private ExecutingAgentKit kit;
    private StaticFiles files;
    private URI bundle;

    @BeforeEach
    void serveABundle() throws Exception {
        files = new StaticFiles();
        Path dir = Files.createDirectories(tmp.resolve("src/bundle"));
        Path run = Files.writeString(dir.resolve("run.sh"), "#!/bin/sh\necho \"hello from the bundle $1\"\n");
        Files.setPosixFilePermissions(run, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path archive = tmp.resolve("bundle.tar.gz");
        Process tar = new ProcessBuilder("tar", "-czf", archive.toString(), "-C", tmp.resolve("src").toString(),
                "bundle").inheritIO().start();
        assertThat(tar.waitFor()).isZero();
        bundle = files.serve("/dist/bundle.tar.gz", Files.readAllBytes(archive));
    }

    @AfterEach
    void stop() {
        if (kit != null) {
            kit.close();
        }
        files.close();
    }

    @Test
    void aTarGzIsExtractedIntoTheSandboxAndTheCacheSparesTheSecondDownloadOfTheSameUser() throws Exception {
        kit = ExecutingAgentKit.start(AgentRuntime.defaults());
        kit.launch(fetching(task("first", "./bundle/run.sh one"), true));
        assertThat(kit.terminal("first").getState()).isEqualTo(TASK_FINISHED);
        Path first = kit.sandbox("first");
        assertThat(Files.readString(first.resolve("stdout"))).contains("hello from the bundle one");
        assertThat(Files.getOwner(first.resolve("bundle/run.sh")).getName()).isEqualTo("nobody");
        assertThat(first.resolve("bundle.tar.gz")).as("extracted from the cache, not copied").doesNotExist();
        assertThat(Files.readString(first.resolve("stderr"))).contains("Fetching URI '" + bundle + "' from cache");
        assertThat(kit.agent().downloads()).isEqualTo(1);

        kit.launch(fetching(task("second", "./bundle/run.sh two"), true));
        assertThat(kit.terminal("second").getState()).isEqualTo(TASK_FINISHED);
        assertThat(Files.readString(kit.sandbox("second").resolve("stdout"))).contains("hello from the bundle two");
        assertThat(kit.agent().downloads()).as("the same user and URI on the same agent").isEqualTo(1);
        assertThat(files.gets("/dist/bundle.tar.gz")).isEqualTo(1);

        var asRoot = fetching(task("as-root", "./bundle/run.sh root"), true);
        asRoot.getCommandBuilder().setUser("root");
        kit.launch(asRoot);
        assertThat(kit.terminal("as-root").getState()).isEqualTo(TASK_FINISHED);
        assertThat(kit.agent().downloads()).as("the cache is keyed <user>@<uri>").isEqualTo(2);

        kit.launch(fetching(task("uncached", "./bundle/run.sh direct"), false));
        assertThat(kit.terminal("uncached").getState()).isEqualTo(TASK_FINISHED);
        assertThat(kit.agent().downloads()).isEqualTo(3);
        assertThat(kit.sandbox("uncached").resolve("bundle.tar.gz")).as("a direct fetch leaves the archive").exists();
    }

    @Test
    void anExecutableUriIsMadeExecutableAtItsOutputFileAndNotExtracted() throws Exception {
        URI tool = files.serve("/tools/tool.tar", "#!/bin/sh\necho tool ran\n".getBytes(StandardCharsets.UTF_8));
        kit = ExecutingAgentKit.start(AgentRuntime.defaults());
        var t = task("tool", "./bin/tool");
        t.getCommandBuilder().addUris(CommandInfo.URI.newBuilder().setValue(tool.toString()).setExecutable(true)
                .setOutputFile("bin/tool"));
        kit.launch(t);

        assertThat(kit.terminal("tool").getState()).isEqualTo(TASK_FINISHED);
        Path fetched = kit.sandbox("tool").resolve("bin/tool");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(fetched))).isEqualTo("rwxr-xr-x");
        assertThat(Files.readString(kit.sandbox("tool").resolve("stdout"))).contains("tool ran");
    }

    @Test
    void aFetchFailureIsTheLaunchHelpersExitStatusOneAndItsErrorIsInTheSandboxOnly() throws Exception {
        kit = ExecutingAgentKit.start(AgentRuntime.defaults());
        var broken = task("broken", "true");
        broken.getCommandBuilder().addUris(CommandInfo.URI.newBuilder().setValue(files.url("/missing.tar.gz")
                .toString()));
        kit.launch(broken, task("sibling", "sleep 300"));

        TaskStatus failed = kit.failedAfterStarting("broken");
        assertThat(failed.getMessage()).isEqualTo("Command exited with status 1");
        assertThat(failed.hasReason()).isFalse();
        assertThat(Files.readString(kit.sandbox("broken").resolve("stderr")))
                .contains("Failed to fetch '" + files.url("/missing.tar.gz") + "': Error downloading resource,"
                        + " received HTTP return code 404")
                .contains("Failed to synchronize with agent (it's probably exited)");
        assertThat(kit.untilTerminal("sibling")).extracting(TaskStatus::getState)
                .containsExactly(TASK_STARTING, TASK_RUNNING, TASK_KILLED);
    }

    @Test
    void anImagesWorkingDirIsTheCwdItsEnvIsSetAndItsUserIsIgnored() throws Exception {
        ImageCatalogue images = ImageCatalogue.of(
                ImageCatalogue.image("registry.example/ci/tests:1").workingDir("/workspace").user("tester")
                        .env("GREETING=hello").env("PATH=/usr/local/bin:/usr/bin:/bin").build(),
                ImageCatalogue.image("registry.example/ci/plain:1").build());
        kit = ExecutingAgentKit.start(AgentRuntime.builder().images(images).build());
        String record = "pwd > $MESOS_SANDBOX/pwd.txt; echo $GREETING > $MESOS_SANDBOX/greeting.txt;"
                + " id -un > $MESOS_SANDBOX/user.txt; echo $PATH > $MESOS_SANDBOX/path.txt; ";
        kit.launch(fetching(withImage(task("relative", record + "exec ./bundle/run.sh"),
                "registry.example/ci/tests:1"), true));
        kit.launch(fetching(withImage(task("sandboxed", "exec $MESOS_SANDBOX/bundle/run.sh"),
                "registry.example/ci/tests:1"), true));
        kit.launch(fetching(withImage(task("plain", "pwd > pwd.txt; exec ./bundle/run.sh"),
                "registry.example/ci/plain:1"), true));

        TaskStatus relative = kit.terminal("relative");
        assertThat(relative.getMessage()).as("the bundle is in the sandbox, not in the image's WORKDIR")
                .isEqualTo("Command exited with status 127");
        Path sandbox = kit.sandbox("relative");
        String pwd = Files.readString(sandbox.resolve("pwd.txt")).trim();
        assertThat(pwd).endsWith("/workspace").doesNotStartWith(sandbox.toString());
        assertThat(Files.readString(sandbox.resolve("greeting.txt")).trim()).isEqualTo("hello");
        assertThat(Files.readString(sandbox.resolve("path.txt")).trim()).isEqualTo("/usr/local/bin:/usr/bin:/bin");
        assertThat(Files.readString(sandbox.resolve("user.txt")).trim()).as("the image's USER is ignored")
                .isEqualTo("nobody");
        assertThat(kit.terminal("sandboxed").getState()).isEqualTo(TASK_FINISHED);
        assertThat(kit.terminal("plain").getState()).as("no WorkingDir: the sandbox").isEqualTo(TASK_FINISHED);
        assertThat(Files.readString(kit.sandbox("plain").resolve("pwd.txt")).trim())
                .isEqualTo(kit.sandbox("plain").toString());
    }

    @Test
    void anImageThatCannotBePulledFailsTheLaunchWithTheRegistrysAnswer() throws Exception {
        Path lib = Files.createDirectories(tmp.resolve("cassandra-lib"));
        kit = ExecutingAgentKit.start(AgentRuntime.builder().images(ImageCatalogue.of(
                ImageCatalogue.cassandra("cassandra:5.0", "5.0.6", lib))).build());
        kit.launch(withImage(task("wrong-tag", "true"), "cassandra:9.9"));
        kit.launch(withImage(task("unknown", "true"), "nosuch/image:1"), task("sibling", "sleep 300"));

        TaskStatus wrongTag = kit.failedAfterStarting("wrong-tag");
        assertThat(wrongTag.getMessage())
                .isEqualTo("Unexpected HTTP response '404 Not Found' when trying to get the manifest");
        assertThat(kit.terminal("unknown").getMessage())
                .isEqualTo("Unexpected HTTP response '401 Unauthorized' when trying to get the manifest");
        assertThat(kit.terminal("sibling").getState()).isEqualTo(TASK_KILLED);
    }

    @Test
    void aCassandraImagesJarsAndEnvAreWhereATaskLooksForThemUnderTheContainerRoot() throws Exception {
        Path lib = Files.createDirectories(tmp.resolve("cassandra-lib"));
        Files.writeString(lib.resolve("apache-cassandra-5.0.6.jar"), "not really a jar");
        makeReadable(tmp);
        kit = ExecutingAgentKit.start(AgentRuntime.builder().images(ImageCatalogue.of(
                ImageCatalogue.cassandra("cassandra:5.0", "5.0.6", lib))).build());
        kit.launch(withImage(task("cassandra", "ls $PEER_CONTAINER_ROOT$CASSANDRA_HOME/lib > jars.txt;"
                + " echo $CASSANDRA_VERSION > version.txt"), "cassandra:5.0"));

        assertThat(kit.terminal("cassandra").getState()).isEqualTo(TASK_FINISHED);
        Path sandbox = kit.sandbox("cassandra");
        assertThat(Files.readString(sandbox.resolve("jars.txt"))).contains("apache-cassandra-5.0.6.jar");
        assertThat(Files.readString(sandbox.resolve("version.txt")).trim()).isEqualTo("5.0.6");
    }

    @Test
    void aPxdVolumeIsTheResolversDirectoryAtARelativeOrAbsoluteContainerPathAndIsUnmountedAfterwards()
            throws Exception {
        Path volume = Files.createDirectories(tmp.resolve("volumes/clone-1"));
        Files.writeString(volume.resolve("hello.txt"), "production-like data\n");
        makeReadable(tmp);
        chownToNobody(volume);
        List<String> calls = new CopyOnWriteArrayList<>();
        DockerVolumeResolver resolver = new DockerVolumeResolver() {
            @Override
            public Path mount(String driver, String name, Map<String, String> options) {
                calls.add("mount " + driver + " " + name + " " + options);
                return volume;
            }

            @Override
            public void unmount(String driver, String name) {
                calls.add("unmount " + driver + " " + name);
            }
        };
        kit = ExecutingAgentKit.start(AgentRuntime.builder().volumes(resolver).images(ImageCatalogue.of(
                ImageCatalogue.image("cassandra:5.0").build())).build());
        kit.launch(withVolume(task("relative", "cat data/hello.txt > seen.txt; echo written > data/out.txt"), "data",
                "clone-1"));
        assertThat(kit.terminal("relative").getState()).isEqualTo(TASK_FINISHED);
        assertThat(Files.readString(kit.sandbox("relative").resolve("seen.txt"))).isEqualTo("production-like data\n");
        assertThat(Files.readString(volume.resolve("out.txt"))).isEqualTo("written\n");
        assertThat(calls).containsExactly("mount pxd clone-1 {io_priority=high}", "unmount pxd clone-1");

        kit.launch(withVolume(withImage(task("absolute", "cat $PEER_CONTAINER_ROOT/var/lib/cassandra/hello.txt"
                + " > seen.txt"), "cassandra:5.0"), "/var/lib/cassandra", "clone-1"));
        assertThat(kit.terminal("absolute").getState()).isEqualTo(TASK_FINISHED);
        assertThat(Files.readString(kit.sandbox("absolute").resolve("seen.txt"))).isEqualTo("production-like data\n");

        kit.close();
        kit = null;
        assertThat(volume.resolve("hello.txt")).as("removing the agent's work dir never goes through a volume")
                .hasContent("production-like data");
    }

    @Test
    void volumeMountFailuresFailTheLaunchAsTheDockerVolumeIsolatorWordsThem() throws Exception {
        DockerVolumeResolver failing = (driver, name, options) -> {
            throw new DockerVolumeResolver.MountFailure("volume " + name + " not found\n");
        };
        kit = ExecutingAgentKit.start(AgentRuntime.builder().volumes(failing).build());
        kit.launch(withVolume(task("unmountable", "true"), "data", "clone-9"));
        kit.launch(withVolume(task("nowhere", "true"), "/var/lib/no-such-dir-for-the-peer", "clone-9"));
        var noDriver = task("no-driver", "true").setContainer(ContainerInfo.newBuilder()
                .setType(ContainerInfo.Type.MESOS).addVolumes(Volume.newBuilder().setContainerPath("data")
                        .setMode(Volume.Mode.RW).setSource(Volume.Source.newBuilder()
                                .setType(Volume.Source.Type.DOCKER_VOLUME)
                                .setDockerVolume(Volume.Source.DockerVolume.newBuilder().setName("x")))));
        kit.launch(noDriver);

        TaskStatus unmountable = kit.failedAfterStarting("unmountable");
        assertThat(unmountable.getMessage())
                .isEqualTo("Unexpected termination of the subprocess: volume clone-9 not found\n");
        assertThat(kit.terminal("nowhere").getMessage())
                .isEqualTo("Absolute container path '/var/lib/no-such-dir-for-the-peer' does not exist");
        assertThat(kit.terminal("no-driver").getMessage())
                .matches("The volume driver is not specified for volume 'x' with container [0-9a-f-]{36}\\.[0-9a-f-]{36}");
    }

    @Test
    void theMasterRefusesADockerVolumeWithoutItsSource() throws Exception {
        kit = ExecutingAgentKit.start(AgentRuntime.defaults());
        kit.launch(task("sourceless", "true").setContainer(ContainerInfo.newBuilder().setType(ContainerInfo.Type.MESOS)
                .addVolumes(Volume.newBuilder().setContainerPath("data").setMode(Volume.Mode.RW)
                        .setSource(Volume.Source.newBuilder().setType(Volume.Source.Type.DOCKER_VOLUME)))));

        TaskStatus error = kit.terminal("sourceless");
        assertThat(error.getState()).isEqualTo(org.apache.mesos.v1.Protos.TaskState.TASK_ERROR);
        assertThat(error.getReason()).isEqualTo(TaskStatus.Reason.REASON_TASK_GROUP_INVALID);
        assertThat(error.getMessage()).isEqualTo("Task 'sourceless' is invalid: Task's `ContainerInfo` is invalid:"
                + " Invalid volume: 'source.docker_volume' is not set for DOCKER_VOLUME volume");
        assertThat(kit.agent().workDir().resolve("slaves")).as("nothing reached the agent").doesNotExist();
    }

    @Test
    void theFilesApiServesTheRealSandboxesUnderTheExecutorsVirtualPath() throws Exception {
        kit = ExecutingAgentKit.start(AgentRuntime.defaults());
        String executor = kit.launch(task("writer", "echo out-line; echo '{\"outcome\":\"PASSED\"}' > report.json;"
                + " head -c 100000 /dev/zero | tr '\\\\0' x > big.txt"));
        assertThat(kit.terminal("writer").getState()).isEqualTo(TASK_FINISHED);
        URI agent = kit.agentUrl();
        AgentFiles client = new AgentFiles(HttpClient.newHttpClient(), NoAuth.INSTANCE, Duration.ofSeconds(5));

        assertThat(client.read(agent, AgentFiles.taskFile(kit.frameworkId(), executor, "writer", "report.json"),
                1 << 20)).contains("{\"outcome\":\"PASSED\"}\n");
        assertThat(client.read(agent, AgentFiles.taskFile(kit.frameworkId(), executor, "writer", "stdout"), 4096))
                .contains("out-line\n");
        assertThat(client.read(agent, AgentFiles.taskFile(kit.frameworkId(), executor, "writer", "nothing"), 10))
                .isEmpty();
        assertThat(client.read(agent, AgentFiles.taskFile(kit.frameworkId(), executor, "writer", "big.txt"), 1 << 20)
                .orElseThrow()).as("snapci's client reads past the agent's 64 KiB per read, page by page")
                .hasSize(100000);
        String capped = get(agent, "/files/read?offset=0&length=1048576&path="
                + encode("/frameworks/" + kit.frameworkId() + "/executors/" + executor + "/runs/latest/tasks/writer"
                + "/big.txt")).get("data").asText();
        assertThat(capped).as("an agent answers at most 16 pages per read").hasSize(65536);

        String base = "/frameworks/" + kit.frameworkId() + "/executors/" + executor + "/runs/latest/tasks/writer";
        JsonNode size = get(agent, "/files/read?offset=-1&path=" + encode(base + "/big.txt"));
        assertThat(size.get("offset").asLong()).isEqualTo(100000);
        assertThat(size.get("data").asText()).isEmpty();
        JsonNode listing = get(agent, "/files/browse?path=" + encode(base));
        assertThat(listing).extracting(n -> n.get("path").asText()).contains(base + "/report.json", base + "/stdout",
                base + "/stderr");
        JsonNode report = null;
        for (JsonNode n : listing) {
            if (n.get("path").asText().endsWith("/report.json")) {
                report = n;
            }
        }
        assertThat(report.get("uid").asText()).isEqualTo("nobody");
        assertThat(report.get("mode").asText()).startsWith("-rw");
        HttpResponse<String> directory = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                agent.resolve("/files/read?offset=0&path=" + encode(base))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(directory.statusCode()).isEqualTo(400);
        assertThat(directory.body()).isEqualTo("Cannot read a directory.\n");
        Map<String, String> refusals = Map.of(
                "offset=x", "Failed to parse offset: Failed to convert 'x' to number.\n",
                "length=-2", "Negative length provided: -2.\n");
        for (Map.Entry<String, String> bad : refusals.entrySet()) {
            HttpResponse<String> refused = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    agent.resolve("/files/read?" + bad.getKey() + "&path=" + encode(base + "/big.txt"))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(refused.statusCode()).as(bad.getKey()).isEqualTo(400);
            assertThat(refused.body()).isEqualTo(bad.getValue());
        }
    }

    // ---- helpers -----------------------------------------------------------------------------------------------

    private TaskInfo.Builder fetching(TaskInfo.Builder task, boolean cache) {
        task.getCommandBuilder().addUris(CommandInfo.URI.newBuilder().setValue(bundle.toString()).setExtract(true)
                .setCache(cache));
        return task;
    }

    private static TaskInfo.Builder withImage(TaskInfo.Builder task, String image) {
        task.getContainerBuilder().setType(ContainerInfo.Type.MESOS).getMesosBuilder().setImage(Image.newBuilder()
                .setType(Image.Type.DOCKER).setDocker(Image.Docker.newBuilder().setName(image)));
        return task;
    }

    private static TaskInfo.Builder withVolume(TaskInfo.Builder task, String containerPath, String name) {
        task.getContainerBuilder().setType(ContainerInfo.Type.MESOS).addVolumes(Volume.newBuilder()
                .setContainerPath(containerPath).setMode(Volume.Mode.RW).setSource(Volume.Source.newBuilder()
                        .setType(Volume.Source.Type.DOCKER_VOLUME).setDockerVolume(Volume.Source.DockerVolume
                                .newBuilder().setDriver("pxd").setName(name).setDriverOptions(
                                        org.apache.mesos.v1.Protos.Parameters.newBuilder().addParameter(
                                                org.apache.mesos.v1.Protos.Parameter.newBuilder()
                                                        .setKey("io_priority").setValue("high"))))));
        return task;
    }

    /** JUnit's temporary directories are 0700: tasks running as nobody must be able to reach what they use. */
    private static void makeReadable(Path dir) throws Exception {
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.toList()) {
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(Files.isDirectory(p,
                        LinkOption.NOFOLLOW_LINKS) ? "rwxr-xr-x" : "rw-r--r--"));
            }
        }
    }

    private static void chownToNobody(Path dir) throws Exception {
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.toList()) {
                Files.setAttribute(p, "unix:uid", 65534, LinkOption.NOFOLLOW_LINKS);
                Files.setAttribute(p, "unix:gid", 65534, LinkOption.NOFOLLOW_LINKS);
            }
        }
    }

    private static JsonNode get(URI agent, String pathAndQuery) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                agent.resolve(pathAndQuery)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return new ObjectMapper().readTree(response.body());
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}

