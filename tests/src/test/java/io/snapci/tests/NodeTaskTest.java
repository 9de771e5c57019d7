package io.snapci.tests;

import com.datastax.oss.driver.api.core.CqlSession;
import io.snapci.executor.cassandra.CassandraDirectories;
import io.snapci.executor.cassandra.CassandraNode;
import io.snapci.executor.cassandra.NodeConfig;
import io.snapci.executor.cassandra.NodePorts;
import io.snapci.model.CassandraSettings;
import io.snapci.model.Json;
import io.snapci.model.tasks.NodeTask;
import io.snapci.tests.support.CliProcess;
import io.snapci.tests.support.LeftoverProcesses;
import io.snapci.tests.support.Snapci;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The cassandra task of a cluster run (snapci's node launcher, {@code NodeTaskMain}) as an agent starts it: as root,
 * in a sandbox with the clone mounted at {@code snapci-copy}, the offered ports in its environment. The clone's files
 * belong to another uid (as production Cassandra wrote them): the node runs as that uid, nothing of the copy is
 * chowned, the data is readable through CQL, and a SIGTERM (Mesos' kill) stops the node.
 */
class NodeTaskTest {

    private static final Duration WAIT = Duration.ofMinutes(3);
    private static final String OWNER = "nobody";

    @TempDir
    static Path dir;
    static Path production;

    /** A production node's data directory with one row, stopped (what a Portworx snapshot holds). */
    @BeforeAll
    static void productionData() throws Exception {
        // An agent's work directory is 0755 down to each sandbox (JUnit's temporary directory is 0700).
        Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        production = dir.resolve("production");
        NodeConfig config = new NodeConfig("production", CassandraDirectories.under(production), dir.resolve("prod-run"),
                NodePorts.pick(null), CassandraSettings.defaults());
        CassandraNode node = CassandraNode.startReady(Snapci.cassandraRuntime(), config, WAIT);
        try (CqlSession cql = node.connect()) {
            cql.execute("CREATE KEYSPACE shop WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
            cql.execute("CREATE TABLE shop.guestbook (id int PRIMARY KEY, message text)");
            cql.execute("INSERT INTO shop.guestbook (id, message) VALUES (1, 'Loved the \"open mic\" night!')");
            node.flush("shop");
        } finally {
            node.stop(Duration.ofSeconds(15));
        }
    }

    /** A clone of the production data in a fresh sandbox, its files owned by {@value #OWNER}. */
    private static Path sandboxWithClone(String name) throws Exception {
        Path sandbox = Files.createDirectories(dir.resolve(name));
        Path copy = sandbox.resolve(NodeTask.COPY_DIR);
        run("cp", "-a", production.toString(), copy.toString());
        run("chown", "-R", OWNER + ":", copy.toString());
        return sandbox;
    }

    private static Map<String, String> env(Path sandbox, NodePorts ports) {
        Map<String, String> env = new HashMap<>();
        env.put("MESOS_SANDBOX", sandbox.toString());
        env.put("SNAPCI_RUN_ID", "r20261202-120000-abcd");
        env.put("CASSANDRA_PORT", String.valueOf(ports.cql()));
        env.put(NodeTask.STORAGE_PORT, String.valueOf(ports.storage()));
        env.put(NodeTask.JMX_PORT, String.valueOf(ports.jmx()));
        env.put(NodeTask.CASSANDRA_LIB, Snapci.cassandraRuntime().libDir().toString());
        env.put("SNAPCI_CASSANDRA_READY_TIMEOUT", "PT3M");
        return env;
    }

    private static CliProcess nodeTask(Path sandbox, Map<String, String> env) throws Exception {
        return CliProcess.start(new ProcessBuilder(Snapci.javaBinary(), "-cp", Snapci.testClasspath(),
                "io.snapci.executor.NodeTaskMain").directory(sandbox.toFile()), env);
    }

    @Test
    void theNodeRunsAsTheCopysOwnerOnTheOfferedPortsServesTheDataAndStopsOnSigterm() throws Exception {
        Path sandbox = sandboxWithClone("sandbox-run");
        NodePorts ports = NodePorts.pick(null);
        Path agentArchives = dir.resolve("agent-class-archives");
        Map<String, String> env = env(sandbox, ports);
        env.put(NodeTask.CLASS_ARCHIVES, agentArchives.toString());
        CliProcess task = nodeTask(sandbox, env);
        try {
            task.awaitOutput("[snapci] Cassandra answers CQL at 127.0.0.1:" + ports.cql(), WAIT);

            List<String> node = LeftoverProcesses.mentioning(sandbox.resolve("cassandra").toString());
            assertThat(node).as("the Cassandra JVM").hasSize(1);
            String pid = node.get(0).split(" ")[0];
            assertThat(run("ps", "-o", "user=", "-p", pid).strip()).isEqualTo(OWNER);
            try (CqlSession cql = CqlSession.builder().addContactPoint(new InetSocketAddress("127.0.0.1", ports.cql()))
                    .withLocalDatacenter("datacenter1").build()) {
                assertThat(cql.execute("SELECT message FROM shop.guestbook WHERE id = 1").one().getString(0))
                        .isEqualTo("Loved the \"open mic\" night!");
                cql.execute("INSERT INTO shop.guestbook (id, message) VALUES (2, 'written by the tests')");
                assertThat(cql.execute("SELECT release_version FROM system.local").one().getString(0)).isNotBlank();
            }
            Path copy = sandbox.resolve(NodeTask.COPY_DIR);
            assertThat(Json.mapper().readTree(Files.readString(copy.resolve(CassandraDirectories.CLONE_MARKER)))
                    .path("runId").asText()).isEqualTo("r20261202-120000-abcd");
            try (Stream<Path> files = Files.walk(copy)) {
                assertThat(files.filter(p -> !p.getFileName().toString().equals(CassandraDirectories.CLONE_MARKER))
                        .map(NodeTaskTest::owner).distinct().toList())
                        .as("every file of the copy, old and written by the node, is the owner's").containsExactly(OWNER);
            }

            task.terminate();
            assertThat(task.awaitExit(WAIT)).isEqualTo(143);
            assertThat(task.output()).contains("stopping Cassandra");
            assertThat(LeftoverProcesses.mentioning(sandbox.resolve("cassandra").toString())).isEmpty();
            // The first fast node on this agent left the runtime's class-data archive outside its sandbox.
            try (Stream<Path> archives = Files.exists(agentArchives) ? Files.list(agentArchives) : Stream.empty()) {
                assertThat(archives.filter(p -> p.toString().endsWith(".jsa")).toList())
                        .as("the archive; what the node's JVM said of it: %s", jvmSaidOfArchives(sandbox)).hasSize(1);
            }
        } finally {
            task.killHard();
        }
    }

    /** The node JVM's console lines about class-data sharing, and its last lines (what a failed dump says). */
    private static String jvmSaidOfArchives(Path sandbox) {
        try (Stream<Path> files = Files.walk(sandbox)) {
            StringBuilder said = new StringBuilder();
            for (Path console : files.filter(p -> p.getFileName().toString().equals("cassandra.out")).toList()) {
                List<String> lines = Files.readAllLines(console);
                said.append(console).append(": ").append(lines.stream().filter(l -> l.matches("(?i).*(cds|shar|archiv|dump).*"))
                        .toList()).append(" ... last: ").append(lines.subList(Math.max(0, lines.size() - 8),
                        lines.size()));
            }
            return said.toString();
        } catch (java.io.IOException e) {
            return "unreadable: " + e;
        }
    }

    @Test
    void aCopyMarkedForAnotherRunOrNoMountedCopyIsRefusedWithExit3() throws Exception {
        Path sandbox = sandboxWithClone("sandbox-other");
        Files.writeString(sandbox.resolve(NodeTask.COPY_DIR).resolve(CassandraDirectories.CLONE_MARKER),
                "{\"format\":1,\"runId\":\"r-someone-else\"}");
        CliProcess refused = nodeTask(sandbox, env(sandbox, NodePorts.pick(null)));
        assertThat(refused.awaitExit(WAIT)).isEqualTo(3);
        assertThat(refused.output()).contains("marked as run r-someone-else's").contains("refusing to boot");

        Path empty = Files.createDirectories(dir.resolve("sandbox-empty"));
        CliProcess noCopy = nodeTask(empty, env(empty, NodePorts.pick(null)));
        assertThat(noCopy.awaitExit(WAIT)).isEqualTo(3);
        assertThat(noCopy.output()).contains("not mounted at").contains(NodeTask.COPY_DIR);
    }

    @Test
    void aCopyOfAnotherCassandraVersionIsRefusedBeforeTheNodeBootsUnlessTheRunAskedForThisOne() throws Exception {
        // A 4.x node's files: its SSTables' format nb, and no system.local release to say more.
        Path sandbox = Files.createDirectories(dir.resolve("sandbox-4x"));
        Path table = Files.createDirectories(sandbox.resolve(NodeTask.COPY_DIR).resolve("data/shop/orders-1"));
        Files.writeString(table.resolve("nb-1-big-Data.db"), "");
        CliProcess refused = nodeTask(sandbox, env(sandbox, NodePorts.pick(null)));
        assertThat(refused.awaitExit(WAIT)).isEqualTo(3);
        assertThat(refused.output()).contains("the image's Cassandra is not production's").contains("nb")
                .contains("cassandra.image");
        assertThat(table.resolve("nb-1-big-Data.db")).as("nothing booted on it").hasContent("");
    }

    private static String owner(Path path) {
        try {
            return Files.getOwner(path).getName();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(String.join(" ", command) + ": " + out).isZero();
        return out;
    }
}
