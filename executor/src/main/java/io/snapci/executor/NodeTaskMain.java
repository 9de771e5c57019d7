package io.snapci.executor;

import io.snapci.executor.cassandra.CassandraDirectories;
import io.snapci.executor.cassandra.CassandraNode;
import io.snapci.executor.cassandra.CassandraRuntime;
import io.snapci.executor.cassandra.CassandraStartException;
import io.snapci.executor.cassandra.ClusterCopyLayout;
import io.snapci.executor.cassandra.CopyNode;
import io.snapci.executor.cassandra.DataOwner;
import io.snapci.executor.cassandra.NodePorts;
import io.snapci.executor.cassandra.ProductionVersion;
import io.snapci.executor.cassandra.RecordedProductionVersion;
import io.snapci.executor.cassandra.VersionChoice;
import io.snapci.executor.mask.MaskingException;
import io.snapci.model.mask.MaskRules;
import io.snapci.model.CassandraSettings;
import io.snapci.model.ExecutionListener;
import io.snapci.model.Json;
import io.snapci.model.tasks.NodeTask;
import io.snapci.model.tasks.TestsTask;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The cassandra task of a cluster run (the executor library's other Mesos face): boots Cassandra on the run's copy,
 * mounted at {@code $MESOS_SANDBOX/}{@value NodeTask#COPY_DIR}, with exactly the code a local run boots its node
 * with ({@link CopyNode}) — the same identity reset, configuration, loopback address, its own seed, no bootstrap —
 * on the ports the offer gave (CQL, storage, JMX), as the copy's owner, with the image's Cassandra and Java — once
 * that Cassandra is production's major version as the copy's files tell it ({@link ProductionVersion}), or the newer
 * line the run asked for ({@link VersionChoice}, as a local run decides before it copies). A masked run's copy is
 * masked first, by the code a local run masks with, on an address its tests cannot reach ({@link MaskedBoot}). It runs
 * until Mesos kills it (SIGTERM, after the tests ended), then drains and stops the node.
 *
 * <p>Exit codes: {@value TestsTask#EXIT_INFRASTRUCTURE} when the node cannot boot or dies on its own (the
 * scheduler reports the run ERROR, with this task's log); 0 after a stop.
 */
public final class NodeTaskMain {

    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(15);

    private NodeTaskMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        System.exit(run(System.getenv()));
    }

    static int run(Map<String, String> env) throws InterruptedException {
        Path sandbox = Path.of(env.getOrDefault(TestsTask.MESOS_SANDBOX, "")).toAbsolutePath();
        String runId = env.get(TestsTask.RUN_ID);
        CassandraDirectories copy = CassandraDirectories.under(sandbox.resolve(NodeTask.COPY_DIR));
        CopyNode.Request request;
        MaskRules mask;
        String maskKey;
        try {
            if (runId == null || runId.isBlank()) {
                return fail(TestsTask.RUN_ID + " is not set: this task is started by snapci's scheduler");
            }
            if (!Files.isDirectory(copy.root())) {
                return fail("the run's copy is not mounted at " + copy.root() + ": the task's DOCKER_VOLUME must "
                        + "have the relative container path " + NodeTask.COPY_DIR);
            }
            adopt(copy, runId);
            joinFurtherNodes(env, sandbox, copy, runId);
            DataOwner.of(copy.root()).mayTraverse(sandbox);
            CassandraSettings settings = Json.mapper().readValue(env.getOrDefault(NodeTask.SETTINGS, "{}"),
                    CassandraSettings.class);
            NodePorts ports = new NodePorts(port(env, TestsTask.CASSANDRA_PORT), port(env, NodeTask.STORAGE_PORT),
                    port(env, NodeTask.JMX_PORT));
            CassandraRuntime runtime = runtime(env, sandbox);
            // Before the boot resets the copy's identity (system.local, which records production's release); a later
            // attempt on the same copy reads what the first one recorded.
            String version = VersionChoice.choose(
                    RecordedProductionVersion.of(copy.root(), copy.dataDirectories()), runtime.release(),
                    settings.version());
            if (version != null) {
                System.out.println("[snapci] " + version);
            }
            request = new CopyNode.Request(runId, copy, sandbox, runtime, settings, ports,
                    duration(env.get(TestsTask.READY_TIMEOUT), Duration.ofMinutes(3)));
            mask = MaskedBoot.rules(env);
            maskKey = mask.isEmpty() ? null : MaskedBoot.takeKey(sandbox, env);
        } catch (VersionChoice.Refused e) {
            return fail("the image's Cassandra is not production's: " + e.getMessage()
                    + " (set cassandra.image to an image of production's version)");
        } catch (IOException | IllegalArgumentException | IllegalStateException e) {
            return fail(e.getMessage());
        }
        AtomicReference<CassandraNode> node = new AtomicReference<>();
        Thread stopper = new Thread(() -> {
            CassandraNode current = node.get();
            if (current != null) {
                System.out.println("[snapci] stopping Cassandra");
                current.stop(DRAIN_TIMEOUT);
            }
        }, "snapci-node-stop");
        Runtime.getRuntime().addShutdownHook(stopper);
        ExecutionListener printer = new ExecutionListener() {
            @Override
            public void onPhase(io.snapci.model.Phase phase, String note) {
                System.out.println(NodeTask.phaseLine(phase, note));
            }

            @Override
            public void onProgress(String note) {
                System.out.println(NodeTask.progressLine(note));
            }
        };
        try {
            if (!mask.isEmpty()) {
                MaskedBoot.mask(request, mask, maskKey, printer, node::set);
            }
            CopyNode booted = CopyNode.boot(request, printer, () -> false, node::set);
            System.out.println("[snapci] Cassandra answers CQL at 127.0.0.1:" + booted.config().ports().cql()
                    + " (storage " + booted.config().ports().storage() + ", JMX " + booted.config().ports().jmx()
                    + "); its log: " + booted.config().systemLog());
            int exit = booted.node().awaitExit();
            return fail("Cassandra exited on its own with code " + exit + "; its log: " + booted.config().systemLog());
        } catch (MaskingException e) {
            return fail("the copy could not be masked, so no test sees it: " + e.getMessage());
        } catch (CassandraStartException | NodePorts.PortInUseException | IOException | IllegalStateException e) {
            return fail(e.getMessage());
        }
    }

    /**
     * A cluster copy is a volume the scheduler made and proved its own before it put it in this task (the node
     * task cannot see Portworx's records): the launcher marks it as the copy of this run, which is what the local
     * driver's marker says of a local copy. A copy marked for another run is refused.
     */
    private static void adopt(CassandraDirectories copy, String runId) throws IOException {
        Path marker = copy.root().resolve(CassandraDirectories.CLONE_MARKER);
        if (Files.isRegularFile(marker)) {
            String runOfMarker = Json.mapper().readTree(Files.readString(marker)).path("runId").asText("");
            if (!runOfMarker.equals(runId)) {
                throw new IllegalStateException("the copy at " + copy.root() + " is marked as run " + runOfMarker
                        + "'s, not " + runId + "'s: refusing to boot on it");
            }
            return;
        }
        Files.writeString(marker, Json.mapper().writeValueAsString(Map.of("format", 1, "runId", runId,
                "kind", "cluster", "adoptedAt", Instant.now().toString())));
    }

    /**
     * A cluster source: nodes 2..N are mounted beside the first ({@link NodeTask#copyDir}); each is marked this run's
     * copy as the first is, then laid out as a local merged copy has them ({@link ClusterCopyLayout}), so the boot
     * that follows is the local one.
     */
    private static void joinFurtherNodes(Map<String, String> env, Path sandbox, CassandraDirectories copy,
                                         String runId) throws IOException {
        String count = env.get(NodeTask.COPY_NODES);
        int nodes = count == null || count.isBlank() ? 1 : Integer.parseInt(count.strip());
        java.util.List<CassandraDirectories> further = new java.util.ArrayList<>();
        for (int n = 2; n <= nodes; n++) {
            CassandraDirectories node = CassandraDirectories.under(sandbox.resolve(NodeTask.copyDir(n)));
            if (!Files.isDirectory(node.root())) {
                throw new IllegalStateException("node " + n + " of the copy is not mounted at " + node.root()
                        + ": the task's DOCKER_VOLUME for it must have the relative container path "
                        + NodeTask.copyDir(n));
            }
            adopt(node, runId);
            further.add(node);
        }
        if (!further.isEmpty()) {
            ClusterCopyLayout.join(copy, further);
            System.out.println("[snapci] " + nodes + " nodes' copies joined into one node: "
                    + copy.dataDirectories());
        }
    }

    /** The image's Cassandra (its {@code $CASSANDRA_HOME/lib}) with the image's Java, unless told otherwise. */
    private static CassandraRuntime runtime(Map<String, String> env, Path sandbox) {
        String lib = env.get(NodeTask.CASSANDRA_LIB);
        if (lib == null || lib.isBlank()) {
            String home = env.get("CASSANDRA_HOME");
            if (home == null || home.isBlank()) {
                throw new IllegalStateException("neither " + NodeTask.CASSANDRA_LIB + " nor CASSANDRA_HOME is set:"
                        + " the cassandra task needs a Cassandra image (the official one sets CASSANDRA_HOME)");
            }
            lib = inContainer(env, home).resolve("lib").toString();
        }
        String javaHome = env.get("JAVA_HOME");
        Path imageJava = javaHome == null ? null : inContainer(env, javaHome).resolve("bin").resolve("java");
        Path java = imageJava != null && Files.isExecutable(imageJava) ? imageJava
                : CassandraRuntime.locate(lib).javaBinary();
        String archives = env.get(NodeTask.CLASS_ARCHIVES);
        // relative: a directory the scheduler mounted in the sandbox (NodeTask.CLASS_ARCHIVES_DIR)
        CassandraRuntime runtime = new CassandraRuntime(Path.of(lib), java)
                .withClassArchives(archives == null || archives.isBlank() ? null : sandbox.resolve(archives));
        runtime.verify();
        return runtime;
    }

    /**
     * A path of the image as this process sees it: the image's own in a real container. snapci's test agent runs
     * tasks without a mount namespace and says where the container's root is instead ({@value #CONTAINER_ROOT},
     * which no real agent sets).
     */
    static Path inContainer(Map<String, String> env, String imagePath) {
        String root = env.getOrDefault(CONTAINER_ROOT, "/");
        return Path.of(root).resolve(imagePath.startsWith("/") ? imagePath.substring(1) : imagePath);
    }

    static final String CONTAINER_ROOT = "PEER_CONTAINER_ROOT";

    private static int port(Map<String, String> env, String name) {
        String value = env.get(name);
        if (value == null) {
            throw new IllegalArgumentException(name + " is not set: the scheduler gives the node its offered ports");
        }
        return Integer.parseInt(value.strip());
    }

    private static Duration duration(String iso, Duration otherwise) {
        return iso == null || iso.isBlank() ? otherwise : Duration.parse(iso);
    }

    private static int fail(String why) {
        System.err.println("[snapci] the copy's Cassandra cannot run: " + why);
        return TestsTask.EXIT_INFRASTRUCTURE;
    }
}
