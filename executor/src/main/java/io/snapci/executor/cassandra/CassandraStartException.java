package io.snapci.executor.cassandra;

/** Cassandra did not become ready. The message says why and shows the end of its log. */
public class CassandraStartException extends Exception {

    private final boolean portConflict;

    public CassandraStartException(String message, boolean portConflict) {
        super(message);
        this.portConflict = portConflict;
    }

    /** The node failed because a port was taken after it was picked: starting again with new ports can help. */
    public boolean portConflict() {
        return portConflict;
    }
}
