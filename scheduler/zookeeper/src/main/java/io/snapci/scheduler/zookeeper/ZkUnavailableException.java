package io.snapci.scheduler.zookeeper;

/** ZooKeeper could not be reached when the scheduler started; the message says where it looked and what to check. */
public final class ZkUnavailableException extends RuntimeException {

    public ZkUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
