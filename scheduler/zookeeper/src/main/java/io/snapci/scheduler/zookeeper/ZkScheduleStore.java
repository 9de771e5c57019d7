package io.snapci.scheduler.zookeeper;

import io.snapci.scheduler.core.schedule.ScheduleState;
import io.snapci.scheduler.core.schedule.ScheduleStore;
import io.snapci.scheduler.core.state.NewerSchemaException;
import io.snapci.scheduler.core.state.StoredRecords;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Snapshot schedules and where each one is (its last tick and snapshot) in ZooKeeper next to the runs, one znode
 * per schedule under {@code <root>/schedules/<name>}: a restarted scheduler knows which ticks it missed and takes one
 * catch-up snapshot rather than a fresh start (or a burst).
 *
 * <p>Records are {@link StoredRecords}: versioned and read leniently, so a rollback reads the schedules a newer
 * snapci wrote. A schedule of a newer <em>major</em> version is left out of {@link #list()} with a warning, so this
 * scheduler neither takes its snapshots nor fails to start. Unlike a run's, such a record may be overwritten: when
 * the configuration names that schedule, {@code ensure} saves it anew. That is deliberate: a schedule's definition
 * comes from the configuration and its progress is one last tick, so overwriting costs at most one catch-up
 * snapshot, while refusing would keep a rolled-back scheduler from starting at all.
 */
public final class ZkScheduleStore implements ScheduleStore {

    private static final System.Logger LOG = System.getLogger(ZkScheduleStore.class.getName());

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
                    .forPath(path, StoredRecords.write(state));
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
                states.add(StoredRecords.read(curator.getData().forPath(path), ScheduleState.class));
            } catch (KeeperException.NoNodeException deletedMeanwhile) {
                // removed between the listing and the read
            } catch (NewerSchemaException e) {
                LOG.log(System.Logger.Level.WARNING, "left out of the snapshot schedules: the schedule at " + path
                        + ": " + e.getMessage());
            } catch (Exception e) {
                throw new ZkStoreException("cannot read the snapshot schedule at " + path + " (fix or delete the "
                        + "znode): " + ZkRunStore.describe(e), e);
            }
        }
        states.sort(Comparator.comparing(s -> s.schedule().name()));
        return states;
    }
}
