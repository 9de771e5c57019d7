package io.snapci.scheduler.zookeeper;

import io.snapci.model.RunStatus;
import io.snapci.scheduler.core.state.NewerSchemaException;
import io.snapci.scheduler.core.state.StoredRecords;

import java.io.IOException;

/**
 * A run as the bytes of its znode: the versioned JSON every store writes ({@link StoredRecords}), the same as the
 * file store's, so {@code zkCli get} shows a readable record. Read leniently, so that a rollback reads what a newer
 * snapci wrote. Knows ZooKeeper's size limit, so an oversized record fails here, before it reaches the server.
 */
final class RunRecordCodec {

    /**
     * The largest record saved. ZooKeeper refuses any request over {@code jute.maxbuffer} (1 MiB - 1 byte by
     * default) by dropping the connection, which a client sees as a connection loss and retries in vain. A decimal
     * megabyte leaves ~48 KiB of that for the request's header, path and ACL.
     */
    static final int MAX_RECORD_BYTES = 1_000_000;

    byte[] encode(RunStatus run, String path) {
        byte[] bytes;
        try {
            bytes = StoredRecords.write(run);
        } catch (IOException e) {
            throw new ZkStoreException("cannot write run " + run.id() + " as JSON for " + path, e);
        }
        if (bytes.length > MAX_RECORD_BYTES) {
            throw new RunRecordTooLargeException(run, path, bytes.length, MAX_RECORD_BYTES);
        }
        return bytes;
    }

    RunStatus decode(byte[] bytes, String path) {
        if (bytes == null || bytes.length == 0) {
            throw new ZkStoreException("the run record at " + path + " is empty", null);
        }
        try {
            return StoredRecords.readRun(bytes);
        } catch (NewerSchemaException e) {
            throw new ZkStoreException("the run record at " + path + " is not read: " + e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            // Jackson reports a record the model refuses (a validation in a record's constructor) as a
            // RuntimeException of its own kind; both mean the same to the caller: this znode holds no valid run.
            throw new ZkStoreException("the run record at " + path + " is not a valid run: " + e.getMessage(), e);
        }
    }
}
