package io.snapci.executor.cassandra;

import io.snapci.model.CassandraSettings;
import io.snapci.model.ExecutionListener;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Cassandra booted on a snapci copy, the same way on one machine and in a cluster's cassandra task: the copy's
 * identity reset (never the source's), a generated configuration, its own ports on the loopback address, its own
 * seed, no bootstrap, readiness by a CQL query, drain and stop. Local runs and the cluster's node task both use it,
 * so the local demo exercises what a cluster runs.
 */
public final class CopyNode {

    /** Picked ports can be taken by someone else before Cassandra binds them; a second pick fixes that. */
    private static final int START_ATTEMPTS = 2;

    /**
     * @param runId        the run, for the node's cluster name
     * @param dirs         the copy
     * @param runDir       where the node's configuration and logs go
     * @param ports        fixed ports (a cluster's offered ones), or null to pick free ones
     * @param host         the loopback address it listens on ({@link NodeConfig#HOST} unless told otherwise: a
     *                     cluster's copy is masked on another one, where its tests task cannot connect)
     */
    public record Request(String runId, CassandraDirectories dirs, Path runDir, CassandraRuntime runtime,
                          CassandraSettings settings, NodePorts ports, Duration readyTimeout, String host) {

        public Request(String runId, CassandraDirectories dirs, Path runDir, CassandraRuntime runtime,
                       CassandraSettings settings, NodePorts ports, Duration readyTimeout) {
            this(runId, dirs, runDir, runtime, settings, ports, readyTimeout, NodeConfig.HOST);
        }

        /** The same boot, listening on {@code otherHost}. */
        public Request onHost(String otherHost) {
            return new Request(runId, dirs, runDir, runtime, settings, ports, readyTimeout, otherHost);
        }
    }

    private final CassandraNode node;

    private CopyNode(CassandraNode node) {
        this.node = node;
    }

    /**
     * Boots the node and waits until it answers CQL. {@code started} hears each node launched (so a cancel can
     * kill it); a node that does not become ready is killed before this throws.
     */
    public static CopyNode boot(Request request, ExecutionListener listener, BooleanSupplier cancelled,
                                java.util.function.Consumer<CassandraNode> started)
            throws CassandraStartException, NodePorts.PortInUseException, IOException {
        if (!request.dirs().isSnapciCopy()) {
            throw new IllegalStateException("Refusing to boot Cassandra on " + request.dirs().root() + ": it is not "
                    + "a snapci copy (no " + CassandraDirectories.CLONE_MARKER + "). snapci never boots on source data.");
        }
        CloneIdentity.reset(request.dirs());
        DataOwner owner = DataOwner.of(request.dirs().root());
        List<Path> created = createMissing(request.dirs());
        for (int attempt = 1; ; attempt++) {
            NodePorts ports = request.ports() != null ? request.ports()
                    : NodePorts.pick(request.settings().cqlPort());
            NodeConfig config = new NodeConfig("snapci-" + request.runId(), request.dirs(),
                    request.runDir().resolve("cassandra"), ports, request.settings(), request.host(), null);
            CassandraNode candidate = new CassandraNode(request.runtime(), config, owner);
            Files.createDirectories(config.runDir());
            List<Path> owned = new ArrayList<>(created);
            owned.add(config.runDir());
            owner.own(owned);
            started.accept(candidate);
            candidate.start();
            if (cancelled.getAsBoolean()) {
                candidate.kill();
                throw new CassandraStartException("cancelled while Cassandra was starting", false);
            }
            try {
                String version = candidate.awaitReady(request.readyTimeout(), cancelled);
                listener.onProgress("Cassandra " + version + " answers CQL");
                return new CopyNode(candidate);
            } catch (CassandraStartException e) {
                candidate.kill();
                boolean retry = e.portConflict() && request.ports() == null && request.settings().cqlPort() == null
                        && attempt < START_ATTEMPTS && !cancelled.getAsBoolean();
                if (!retry) {
                    throw e;
                }
                listener.onProgress("a picked port was taken meanwhile; starting Cassandra again on new ports");
            }
        }
    }

    /** The layout's directories the copy lacks (a source without hints, say), created here: theirs to own. */
    private static List<Path> createMissing(CassandraDirectories dirs) throws IOException {
        List<Path> created = new ArrayList<>();
        for (Path dir : new Path[]{dirs.data(), dirs.commitlog(), dirs.hints(), dirs.savedCaches(), dirs.cdcRaw()}) {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir);
                created.add(dir);
            }
        }
        return created;
    }

    public CassandraNode node() {
        return node;
    }

    public NodeConfig config() {
        return node.config();
    }
}
