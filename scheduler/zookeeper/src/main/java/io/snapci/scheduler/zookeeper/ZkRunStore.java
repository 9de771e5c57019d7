package io.snapci.scheduler.zookeeper;

import io.snapci.model.RunStatus;
import io.snapci.scheduler.core.state.RunStore;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Keeps each run as one znode, {@code <root>/runs/<runId>}, holding the run's JSON: the cluster's store. A save
 * replaces the whole record in one write, so a reader sees the old record or the new one, never a mix.
 *
 * <p>An unreadable record (edited by hand, or written by a newer scheduler with fields this one does not know) is
 * left out of {@link #list()} with a warning naming its znode, so that a restarted scheduler still starts and knows
 * every other run; {@link #find} of that very run fails with the znode's path instead, since claiming the run does
 * not exist would be wrong.
 *
 * <p>Build it on the scheduler's connection: {@code new ZkRunStore(ZkConnection.open("zk://master.mesos:2181/snapci"))}.
 */
public final class ZkRunStore implements RunStore {

    private static final System.Logger LOG = System.getLogger(ZkRunStore.class.getName());

    /** As the file store's: ids that are one path segment and cannot climb out of {@code runs/}. */
    private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");

    /** Oldest first as the other stores list, with the id to order runs created in the same instant. */
    static final Comparator<RunStatus> OLDEST_FIRST =
            Comparator.comparing(RunStatus::createdAt).thenComparing(RunStatus::id);

    private final CuratorFramework curator;
    private final String runsPath;
    private final RunRecordCodec codec = new RunRecordCodec();
    private final PipelinedReads reads;

    public ZkRunStore(ZkConnection zk) {
        this.curator = zk.curator();
        this.runsPath = zk.url().path("runs");
        this.reads = new PipelinedReads(curator);
    }

    /**
     * Creates or replaces the run's znode.
     *
     * @throws RunRecordTooLargeException when the record would not fit in a znode; nothing is written then
     * @throws ZkStoreException           when ZooKeeper stays unreachable beyond the retry budget
     */
    @Override
    public void save(RunStatus run) {
        if (!SAFE_ID.matcher(run.id()).matches()) {
            throw new IllegalArgumentException("not a valid run id: " + run.id());
        }
        String path = path(run.id());
        byte[] record = codec.encode(run, path);
        try {
            curator.create().orSetData().creatingParentsIfNeeded().forPath(path, record);
        } catch (Exception e) {
            throw new ZkStoreException("cannot save run " + run.id() + " to " + path + ": " + describe(e), e);
        }
    }

    @Override
    public Optional<RunStatus> find(String runId) {
        if (!SAFE_ID.matcher(runId).matches()) {
            return Optional.empty();
        }
        String path = path(runId);
        return read(path).map(bytes -> codec.decode(bytes, path));
    }

    @Override
    public List<RunStatus> list() {
        List<String> ids;
        try {
            ids = curator.getChildren().forPath(runsPath);
        } catch (KeeperException.NoNodeException e) {
            return List.of(); // nothing was ever saved under this root
        } catch (Exception e) {
            throw new ZkStoreException("cannot list the runs under " + runsPath + ": " + describe(e), e);
        }
        List<String> paths = ids.stream().map(this::path).toList();
        Map<String, byte[]> records;
        try {
            records = reads.read(paths);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ZkStoreException("interrupted while reading the runs under " + runsPath, e);
        } catch (Exception e) {
            throw new ZkStoreException("cannot read the runs under " + runsPath + ": " + describe(e), e);
        }
        List<RunStatus> runs = new ArrayList<>(records.size());
        records.forEach((path, record) -> {
            try {
                runs.add(codec.decode(record, path));
            } catch (ZkStoreException e) {
                LOG.log(System.Logger.Level.WARNING, "left out of the run list: " + e.getMessage());
            }
        });
        runs.sort(OLDEST_FIRST);
        return runs;
    }

    private Optional<byte[]> read(String path) {
        try {
            return Optional.of(curator.getData().forPath(path));
        } catch (KeeperException.NoNodeException e) {
            return Optional.empty();
        } catch (Exception e) {
            throw new ZkStoreException("cannot read the run record at " + path + ": " + describe(e), e);
        }
    }

    private String path(String runId) {
        return runsPath + "/" + runId;
    }

    static String describe(Exception e) {
        if (e instanceof KeeperException.ConnectionLossException || e instanceof KeeperException.SessionExpiredException) {
            return "ZooKeeper could not be reached (" + e.getMessage() + ") after every retry";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
