package io.snapci.executor.mask;

import com.datastax.oss.driver.api.core.CqlSession;
import io.snapci.executor.cassandra.CassandraNode;
import io.snapci.executor.cassandra.NodeConfig;
import io.snapci.executor.cassandra.NodeJmx;
import io.snapci.model.ExecutionListener;
import io.snapci.model.Phase;
import io.snapci.model.mask.MaskHash;
import io.snapci.model.mask.MaskRules;

import java.util.function.BooleanSupplier;

/** The MASKING phase on a ready copy: mask through CQL, then purge the originals from the copy's files. */
public final class CopyMasking {

    private CopyMasking() {
    }

    /** Throws {@link MaskingException} when anything fails: the caller must not start the tests then. */
    public static void mask(CassandraNode node, NodeConfig config, MaskRules rules, String key,
                            ExecutionListener listener, BooleanSupplier cancelled) {
        listener.onPhase(Phase.MASKING, "masking the copy: " + String.join("; ", rules.describe()));
        long started = System.nanoTime();
        MaskHash hash = key == null ? MaskHash.random() : MaskHash.ofSecret(key);
        try (CqlSession session = node.connect();
             NodeJmx jmx = NodeJmx.connect(NodeConfig.HOST, config.ports().jmx())) {
            // The masking writes bypass the commit log: a delete names the original key, and a segment is a file
            // of the copy too. The flush in the purge makes the writes durable instead.
            CopyMasker masker = new CopyMasker(session, hash, listener, cancelled);
            masker.checkTables(rules);
            CopyPurge.durableWrites(session, rules.tables(), false);
            long rows = masker.mask(rules);
            CopyPurge.purge(session, jmx, rules.tables(), listener);
            CopyPurge.durableWrites(session, rules.tables(), true);
            listener.onProgress(String.format("copy masked: %d rows in %.1f s", rows,
                    (System.nanoTime() - started) / 1e9));
        } catch (MaskingException e) {
            throw e;
        } catch (Exception e) {
            throw new MaskingException("masking failed: " + e.getMessage(), e);
        }
    }
}
