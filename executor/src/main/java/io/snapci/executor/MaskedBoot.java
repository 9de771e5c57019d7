package io.snapci.executor;

import io.snapci.executor.cassandra.CassandraNode;
import io.snapci.executor.cassandra.CassandraStartException;
import io.snapci.executor.cassandra.CopyNode;
import io.snapci.executor.cassandra.NodePorts;
import io.snapci.executor.mask.CopyMasking;
import io.snapci.model.ExecutionListener;
import io.snapci.model.Json;
import io.snapci.model.mask.MaskRules;
import io.snapci.model.tasks.NodeTask;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The MASKING phase of a cluster run, in its cassandra task: the tests task shares the node's network namespace and
 * starts on the first CQL answer at 127.0.0.1, so the copy is booted on {@value NodeTask#MASKING_HOST} instead,
 * masked there with the code a local run masks with ({@link CopyMasking}: the rules through CQL, then the originals
 * purged from the copy's files), and stopped; only then does the node start where the tests connect. A masking
 * that fails ends the task before that second boot: no test ever sees the copy.
 */
final class MaskedBoot {

    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(15);
    private static final int MIN_KEY_BYTES = 16;

    private MaskedBoot() {
    }

    /** The run's rules from {@value NodeTask#MASK}; none when unset. */
    static MaskRules rules(Map<String, String> env) throws IOException {
        String json = env.get(NodeTask.MASK);
        return json == null || json.isBlank() ? MaskRules.none() : Json.mapper().readValue(json, MaskRules.class);
    }

    /**
     * The service's hash key, from the secret volume at {@value NodeTask#MASK_KEY_FILE} when the task carries one
     * ({@value NodeTask#MASK_KEY_SECRET} names it). The file is removed where it can be; a secret volume's file is a
     * read-only bind mount of the container's own ramfs, which the agent removes with the container, and on disk in
     * the sandbox (what the agent's files API reads) is only its empty mount point. Null (a key drawn for this run)
     * when the service has none.
     */
    static String takeKey(Path sandbox, Map<String, String> env) throws IOException {
        String secret = env.get(NodeTask.MASK_KEY_SECRET);
        Path file = sandbox.resolve(NodeTask.MASK_KEY_FILE);
        if (!Files.isRegularFile(file)) {
            if (secret != null) {
                throw new IllegalStateException("the service's masking key (secret '" + secret + "') is not at "
                        + file + ": the agent must run the volume/secret isolator (with filesystem/linux) and a "
                        + "secret resolver that knows the secret (DC/OS Enterprise); docs/masking.md");
            }
            return null;
        }
        String key = Files.readString(file, StandardCharsets.UTF_8).strip();
        try {
            Files.delete(file);
        } catch (FileSystemException mountedSecret) {
            // the secret volume's bind mount: it goes with the container (above)
        }
        if (key.getBytes(StandardCharsets.UTF_8).length < MIN_KEY_BYTES) {
            // the rule masking.hashKeyFile's key is held to at serve's start: serve cannot read a secret, so here
            throw new IllegalStateException(NodeTask.MASK_KEY_FILE + (key.isEmpty() ? " is empty" : " holds fewer "
                    + "than " + MIN_KEY_BYTES + " bytes") + ": the service's masking key" + (secret == null ? ""
                    : " (secret '" + secret + "')") + " needs at least " + MIN_KEY_BYTES + ", e.g. the value of "
                    + "head -c 32 /dev/urandom | base64");
        }
        return key;
    }

    /** Boots the copy where no test can reach it, masks it, stops it. Throws MaskingException when masking fails. */
    static void mask(CopyNode.Request request, MaskRules rules, String key, ExecutionListener listener,
                     Consumer<CassandraNode> started)
            throws CassandraStartException, NodePorts.PortInUseException, IOException {
        listener.onProgress("booting the copy on " + NodeTask.MASKING_HOST + " to mask it before the tests see it");
        CopyNode masking = CopyNode.boot(request.onHost(NodeTask.MASKING_HOST), listener, () -> false, started);
        try {
            CopyMasking.mask(masking.node(), masking.config(), rules, key, listener, () -> false);
        } finally {
            masking.node().stop(DRAIN_TIMEOUT);
        }
        listener.onProgress("copy masked; Cassandra starts again where the tests connect");
    }
}
