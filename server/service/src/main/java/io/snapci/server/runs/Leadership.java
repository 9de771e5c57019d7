package io.snapci.server.runs;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Whether this process may act on runs (execute them, take them over, talk to the cluster): at once on one machine;
 * in a cluster only while it holds the leader lock. A process that does not lead yet serves reads and its health
 * check (healthy, passive) and refuses new runs.
 */
public interface Leadership {

    /** Leads from the start: one machine has one process per work root (run locks keep the others apart). */
    Leadership ALWAYS = new Leadership() {
        @Override
        public CompletableFuture<Void> acquired() {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public Optional<String> leader() {
            return Optional.empty();
        }
    };

    /** Completes when this process leads. */
    CompletableFuture<Void> acquired();

    /** Who leads, when known (shown by a standby). */
    Optional<String> leader();

    default boolean isLeader() {
        return acquired().isDone();
    }
}
