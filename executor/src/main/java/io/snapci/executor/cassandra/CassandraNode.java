package io.snapci.executor.cassandra;

import io.snapci.executor.RunProcesses;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * One Cassandra node in its own JVM: started, asked until it answers CQL, drained and stopped. Runs only ever
 * start it on a snapci copy ({@link io.snapci.executor.RunExecution} checks); the demo also uses it for the
 * stand-in production node it creates itself.
 */
public final class CassandraNode implements AutoCloseable {

    /** A probe costs about a millisecond ({@link CqlProbe}), so polling often is what makes readiness seen at once. */
    private static final Duration POLL = Duration.ofMillis(50);
    private static final Duration TERM_GRACE = Duration.ofSeconds(10);
    /**
     * A JVM that writes the runtime's class-data archive as it exits (~55 MB, a few seconds, far more on a busy
     * machine) is given longer before SIGKILL: killed midway it leaves no archive, and every node after it pays.
     */
    private static final Duration ARCHIVING_TERM_GRACE = Duration.ofSeconds(60);

    private final CassandraRuntime runtime;
    private final NodeConfig config;
    private final DataOwner owner;
    private volatile Process process;
    /** Where this node's JVM writes a class-data archive when it exits (null: it uses one or none). */
    private volatile Path archiveScratch;

    /** A node that runs as this process's user (the demo's own production node, tools). */
    public CassandraNode(CassandraRuntime runtime, NodeConfig config) {
        this(runtime, config, null);
    }

    /** @param owner who the copy's files belong to: the node runs as them (null: as this process) */
    CassandraNode(CassandraRuntime runtime, NodeConfig config, DataOwner owner) {
        this.runtime = runtime;
        this.config = config;
        this.owner = owner;
    }

    /** Starts a node and waits until it answers CQL; a node that does not is killed before this throws. */
    public static CassandraNode startReady(CassandraRuntime runtime, NodeConfig config, Duration timeout)
            throws IOException, CassandraStartException {
        CassandraNode node = new CassandraNode(runtime, config);
        node.start();
        try {
            node.awaitReady(timeout, () -> false);
        } catch (CassandraStartException e) {
            node.kill();
            throw e;
        }
        return node;
    }

    public NodeConfig config() {
        return config;
    }

    /** A driver session to this node, for tools that load or inspect data (not used by runs' tests). */
    public CqlSession connect() {
        return CqlSession.builder()
                .addContactPoint(new InetSocketAddress(config.host(), config.ports().cql()))
                .withLocalDatacenter(config.settings().datacenter())
                .withConfigLoader(DriverConfigLoader.programmaticBuilder()
                        .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, Duration.ofSeconds(30)).build())
                .build();
    }

    /** nodetool flush for each keyspace: what an operator runs before copying a live node. */
    public void flush(String... keyspaces) throws Exception {
        try (NodeJmx jmx = NodeJmx.connect(NodeConfig.HOST, config.ports().jmx())) {
            for (String keyspace : keyspaces) {
                jmx.flush(keyspace);
            }
        }
    }

    /** Writes the node's configuration and launches its JVM; returns at once. */
    public void start() throws IOException {
        runtime.verify();
        config.dirs().createMissing();
        NodeConfigWriter.write(config);
        boolean fast = fastStart();
        List<String> command = new ArrayList<>(owner == null ? List.of() : owner.commandPrefix());
        if (fast) {
            command.addAll(FastStart.noMemoryLockPrefix(owner != null && owner.needsSwitch()));
        }
        command.addAll(NodeCommandLine.build(runtime, config, fast, archiveFlags(fast)));
        if (owner != null) {
            owner.own(List.of(config.runDir()));  // its configuration, logs and scratch files
        }
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(config.runDir().toFile())
                .redirectErrorStream(true)
                .redirectOutput(config.consoleLog().toFile());
        // A tag in its environment lets a later snapci find this node if the JVM that started it dies.
        builder.environment().put(RunProcesses.CLUSTER_VARIABLE, config.clusterName());
        process = builder.start();
    }

    /** Only a copy starts fast: a node on data snapci did not copy (the demo's production node) starts as usual. */
    private boolean fastStart() {
        return config.settings().fastStart() && config.dirs().isSnapciCopy();
    }

    private List<String> archiveFlags(boolean fast) throws IOException {
        archiveScratch = null;
        if (!fast || runtime.classArchives() == null) {
            return List.of();
        }
        Path scratch = config.runDir().resolve("classes.jsa");
        List<String> flags = new ClassArchive(runtime.classArchives()).flags(runtime, scratch);
        if (flags.get(0).startsWith("-XX:ArchiveClassesAtExit")) {
            archiveScratch = scratch;
        }
        return flags;
    }

    /**
     * Waits until the node answers a CQL query; returns its release version. Fails early when the process exits
     * or {@code cancelled} turns true, and on timeout; the failure message carries the tail of the node's log.
     */
    public String awaitReady(Duration timeout, BooleanSupplier cancelled) throws CassandraStartException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String lastError = "the CQL port never opened";
        while (System.nanoTime() < deadline) {
            if (cancelled.getAsBoolean()) {
                throw new CassandraStartException("cancelled while Cassandra was starting", false);
            }
            Process p = process;
            if (p == null || !p.isAlive()) {
                String exit = p == null ? "was never started" : "exited with code " + p.exitValue();
                throw failure("Cassandra " + exit + " before it was ready.");
            }
            try {
                return CqlProbe.query(config.host(), config.ports().cql(), config.settings().datacenter(),
                        deadline);
            } catch (ConnectException e) {
                // nothing listens yet: the last problem seen stays what it was
            } catch (IOException e) {
                lastError = e.getMessage();
            }
            sleep(POLL);
        }
        throw failure("Cassandra was not ready within " + timeout.toSeconds() + " s (last: " + lastError
                + "). Give it longer (cassandra ready timeout) or more heap, or look at its log.");
    }

    private CassandraStartException failure(String headline) {
        List<String> tail = new ArrayList<>(LogTail.fromLastError(config.systemLog(), 25, 40));
        List<String> console = LogTail.lines(config.consoleLog(), 10);
        boolean portConflict = tail.stream().anyMatch(l -> l.contains("Address already in use"))
                || console.stream().anyMatch(l -> l.contains("Address already in use"));
        StringBuilder text = new StringBuilder(headline).append("\nLast lines of ").append(config.systemLog())
                .append(":\n");
        tail.forEach(line -> text.append("  ").append(line).append('\n'));
        if (!console.isEmpty() && console.stream().anyMatch(l -> !l.isBlank())) {
            text.append("Last lines of ").append(config.consoleLog()).append(":\n");
            console.forEach(line -> text.append("  ").append(line).append('\n'));
        }
        return new CassandraStartException(text.toString().stripTrailing(), portConflict);
    }

    /** Waits until the node's JVM ends; its exit code. */
    public int awaitExit() throws InterruptedException {
        Process p = process;
        if (p == null) {
            return -1;
        }
        int code = p.waitFor();
        publishArchive();
        return code;
    }

    /**
     * A JVM that was to write the runtime's class-data archive has exited: make what it wrote the archive. Both the
     * thread waiting for the node's exit and the one stopping it get here; the lock makes the later one wait until
     * the archive is published, so that a process whose shutdown hook stops the node does not end (and cut the
     * other thread's copy short) before the archive is in place.
     */
    private synchronized void publishArchive() {
        Path scratch = archiveScratch;
        if (scratch != null) {
            archiveScratch = null;
            new ClassArchive(runtime.classArchives()).publish(runtime, scratch);
        }
    }

    public boolean isAlive() {
        Process p = process;
        return p != null && p.isAlive();
    }

    public Optional<Long> pid() {
        Process p = process;
        return p == null ? Optional.empty() : Optional.of(p.pid());
    }

    /** Stops at once, without draining (cancellation, a failed start). */
    public void kill() {
        Process p = process;
        if (p != null && p.isAlive()) {
            terminate(p);
        }
    }

    /**
     * Drains the node over JMX (bounded by {@code drainTimeout}), then stops its JVM: SIGTERM, and SIGKILL if it
     * is still there after a grace period. Safe to call more than once.
     */
    public void stop(Duration drainTimeout) {
        Process p = process;
        if (p == null || !p.isAlive()) {
            return;
        }
        CompletableFuture<Void> drain = new CompletableFuture<>();
        Thread drainer = new Thread(() -> {
            try (NodeJmx jmx = NodeJmx.connect(NodeConfig.HOST, config.ports().jmx())) {
                jmx.drain();
            } catch (Exception e) {
                // Draining a throwaway copy is a courtesy; stopping is what matters.
            }
            drain.complete(null);
        }, "snapci-cassandra-drain");
        drainer.setDaemon(true);
        drainer.start();
        try {
            drain.get(drainTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            drain.cancel(true);
        }
        terminate(p);
    }

    private void terminate(Process p) {
        p.destroy();
        Duration grace = archiveScratch != null ? ARCHIVING_TERM_GRACE : TERM_GRACE;
        try {
            if (!p.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                p.waitFor(TERM_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            return;
        }
        publishArchive();
    }

    @Override
    public void close() {
        kill();
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
