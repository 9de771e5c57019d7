package io.snapci.scheduler.zookeeper;

import io.snapci.model.Json;
import io.snapci.scheduler.core.schedule.ScheduleState;
import io.snapci.scheduler.core.schedule.ScheduleStore;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Snapshot schedules and where each one is (its last tick and snapshot) in ZooKeeper next to the runs, one znode
 * per schedule under {@code <root>/schedules/<name>}: a restarted scheduler knows which ticks it missed and takes one
 * catch-up snapshot rather than a fresh start (or a burst).
 */
public final class ZkScheduleStore implements ScheduleStore {

    private final CuratorFramework curator;
    private final String parent;

    public ZkScheduleStore(ZkConnection zk) {
        this.curator = zk.curator();
        this.parent = zk.url().path("schedules");
    }

    @Override
    public void save(ScheduleState state) {
        String path = parent + "/" + state.schedule().name();
        try {
            curator.create().orSetData().creatingParentsIfNeeded()
                    .forPath(path, Json.mapper().writeValueAsBytes(state));
        } catch (Exception e) {
            throw new ZkStoreException("cannot save snapshot schedule " + state.schedule().name() + " to " + path
                    + ": " + ZkRunStore.describe(e), e);
        }
    }

    @Override
    public void delete(String scheduleName) {
        String path = parent + "/" + scheduleName;
        try {
            curator.delete().forPath(path);
        } catch (KeeperException.NoNodeException gone) {
            // already deleted: what the caller wanted
        } catch (Exception e) {
            throw new ZkStoreException("cannot delete snapshot schedule at " + path + ": " + ZkRunStore.describe(e), e);
        }
    }

    @Override
    public List<ScheduleState> list() {
        List<String> names;
        try {
            names = curator.getChildren().forPath(parent);
        } catch (KeeperException.NoNodeException none) {
            return List.of();
        } catch (Exception e) {
            throw new ZkStoreException("cannot list the snapshot schedules at " + parent + ": "
                    + ZkRunStore.describe(e), e);
        }
        List<ScheduleState> states = new ArrayList<>();
        for (String name : names) {
            String path = parent + "/" + name;
            try {
                states.add(Json.mapper().readValue(curator.getData().forPath(path), ScheduleState.class));
            } catch (KeeperException.NoNodeException deletedMeanwhile) {
                // removed between the listing and the read
            } catch (Exception e) {
                throw new ZkStoreException("cannot read the snapshot schedule at " + path + " (fix or delete the "
                        + "znode): " + ZkRunStore.describe(e), e);
            }
        }
        states.sort(Comparator.comparing(s -> s.schedule().name()));
        return states;
    }
}
