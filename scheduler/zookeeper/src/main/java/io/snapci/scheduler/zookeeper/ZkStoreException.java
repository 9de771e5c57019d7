package io.snapci.scheduler.zookeeper;

/**
 * A store operation failed: ZooKeeper stayed unreachable beyond the retry budget, refused the request, or holds a
 * record that cannot be read. The message names the znode.
 */
public class ZkStoreException extends RuntimeException {

    public ZkStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
