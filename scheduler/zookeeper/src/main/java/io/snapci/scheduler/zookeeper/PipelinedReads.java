package io.snapci.scheduler.zookeeper;

import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Reads many znodes with many requests in flight on the one connection, instead of one round trip after another:
 * a restarted scheduler reading 10,000 runs waits for ~40 round trips, not 10,000. The window bounds how many
 * answers (up to 1 MB each) can be on their way at once.
 */
final class PipelinedReads {

    static final int WINDOW = 256;

    private final CuratorFramework curator;

    PipelinedReads(CuratorFramework curator) {
        this.curator = curator;
    }

    /**
     * The data of each path that exists; a path deleted meanwhile is left out. Each read is retried by Curator's
     * policy like any other operation.
     *
     * @throws Exception the first failure other than a missing znode, once every read has ended
     */
    Map<String, byte[]> read(List<String> paths) throws Exception {
        Map<String, byte[]> data = new ConcurrentHashMap<>();
        AtomicReference<Exception> failure = new AtomicReference<>();
        Semaphore window = new Semaphore(WINDOW);
        CountDownLatch ended = new CountDownLatch(paths.size());
        for (String path : paths) {
            window.acquire();
            try {
                curator.getData().inBackground((client, event) -> {
                    try {
                        KeeperException.Code code = KeeperException.Code.get(event.getResultCode());
                        if (code == KeeperException.Code.OK) {
                            data.put(path, event.getData());
                        } else if (code != KeeperException.Code.NONODE) {
                            failure.compareAndSet(null, KeeperException.create(code, path));
                        }
                    } finally {
                        window.release();
                        ended.countDown();
                    }
                }).forPath(path);
            } catch (Exception e) {
                // The request could not even be queued (the client is closing): it will not call back.
                window.release();
                ended.countDown();
                failure.compareAndSet(null, e);
            }
        }
        ended.await();
        if (failure.get() != null) {
            throw failure.get();
        }
        return data;
    }
}
