package io.snapci.executor.cassandra;

import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Waits until a Cassandra node that someone else started answers CQL: what the tests task does in a cluster,
 * where Cassandra is a sibling task. A local node is watched by {@link CassandraNode#awaitReady} instead, which
 * also sees its process die.
 */
public final class CqlReadiness {

    /** A probe costs about a millisecond, so polling often is what makes readiness seen at once. */
    private static final long POLL_MILLIS = 50;

    private CqlReadiness() {
    }

    /**
     * Returns the node's release version; throws with the last problem seen when {@code timeout} passes, or at once
     * when the node answers from another datacenter than the tests name (that never changes while it runs).
     */
    public static String await(String host, int port, String datacenter, Duration timeout, BooleanSupplier cancelled)
            throws CassandraStartException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "the CQL port never opened";
        while (System.nanoTime() < deadline && !cancelled.getAsBoolean()) {
            try {
                return CqlProbe.query(host, port, datacenter, deadline);
            } catch (ConnectException e) {
                // nothing listens yet: the last problem seen stays what it was
            } catch (WrongDatacenterException e) {
                throw new CassandraStartException("Cassandra at " + host + ":" + port + " will never be ready for "
                        + "the tests: " + e.getMessage() + " (the tests' CASSANDRA_DC), so their driver would find no "
                        + "local node", false);
            } catch (IOException e) {
                last = e.getMessage();
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new CassandraStartException("Cassandra at " + host + ":" + port + " was not ready within "
                + timeout.toSeconds() + " s (last: " + last + ")", false);
    }
}
