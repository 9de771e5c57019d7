package io.snapci.scheduler.zookeeper;

import io.snapci.scheduler.core.state.FrameworkIdStore;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Keeps the Mesos FrameworkID in {@code <root>/framework-id} as plain UTF-8 text, readable with {@code zkCli get}.
 * A save is acknowledged only once a quorum of the ensemble has it, so a scheduler that restarts on another node
 * right after the master assigned the id still resubscribes as the same framework.
 */
public final class ZkFrameworkIdStore implements FrameworkIdStore {

    private final CuratorFramework curator;
    private final String path;

    public ZkFrameworkIdStore(ZkConnection zk) {
        this.curator = zk.curator();
        this.path = zk.url().path("framework-id");
    }

    @Override
    public Optional<String> load() {
        byte[] bytes;
        try {
            bytes = curator.getData().forPath(path);
        } catch (KeeperException.NoNodeException e) {
            return Optional.empty();
        } catch (Exception e) {
            throw new ZkStoreException("cannot read the framework id at " + path + ": " + ZkRunStore.describe(e), e);
        }
        String id = bytes == null ? "" : new String(bytes, StandardCharsets.UTF_8).strip();
        // An empty znode (created by hand, say) holds no id; subscribing with "" would be refused by the master.
        return id.isEmpty() ? Optional.empty() : Optional.of(id);
    }

    @Override
    public void save(String frameworkId) {
        if (frameworkId == null || frameworkId.isBlank()) {
            throw new IllegalArgumentException("a framework id is required, got '" + frameworkId + "'");
        }
        try {
            curator.create().orSetData().creatingParentsIfNeeded()
                    .forPath(path, frameworkId.getBytes(StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new ZkStoreException("cannot save the framework id to " + path + ": " + ZkRunStore.describe(e), e);
        }
    }

    /**
     * Deletes the znode. Not Curator's {@code guaranteed()} delete: it would retry in the background after this
     * call returned and could remove the id of the next subscription, saved in the meantime.
     */
    @Override
    public void clear() {
        try {
            curator.delete().forPath(path);
        } catch (KeeperException.NoNodeException e) {
            // already clear
        } catch (Exception e) {
            throw new ZkStoreException("cannot clear the framework id at " + path + ": " + ZkRunStore.describe(e), e);
        }
    }
}
