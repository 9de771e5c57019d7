package io.snapci.scheduler.zookeeper;

import io.snapci.model.RunStatus;
import io.snapci.scheduler.core.state.RunPage;
import io.snapci.scheduler.core.state.RunPages;
import io.snapci.scheduler.core.state.RunStore;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Keeps each run as one znode, {@code <root>/runs/<runId>}, holding the run's JSON: the cluster's store. A save
 * replaces the whole record in one write, so a reader sees the old record or the new one, never a mix.
 *
 * <p>Records are {@link io.snapci.scheduler.core.state.StoredRecords}: versioned and read leniently, so after a
 * rollback this scheduler reads (and resumes) what a newer one wrote. An unreadable record (edited by hand, or
 * written by a newer <em>major</em> version) is left out of {@link #list()} and {@link #page} with a warning naming
 * its znode, so that a restarted scheduler still starts and knows every other run, and is never written or deleted;
 * {@link #find} of that very run fails with the znode's path instead, since claiming the run does not exist would
 * be wrong.
 *
 * <p>Pages come from the znode names (one {@code getChildren}, ~25 bytes a run): run ids sort by time, so a page of
 * 100 reads about 100 records however many are stored. Retention keeps the count far below the ~40,000 names that
 * fill ZooKeeper's 1 MB answer to {@code getChildren}.
 *
 * <p>The runs that have not ended have an empty znode each under {@code <root>/unfinished}, so that a restarted
 * scheduler reads those records only ({@link #unfinished}), not every stored run. The index is a hint that proves
 * itself: its znode holds the {@code cversion} of {@code runs/} (ZooKeeper counts every child created or deleted)
 * as it was when the index was last known complete. A run only ever becomes unfinished by being created, so an
 * index whose count still matches misses none; a mismatch (a run created by a version of snapci that keeps no
 * index, after a rollback, or a save interrupted between its record and its index entry) makes the next
 * {@link #unfinished} read every record once and rebuild the index. An entry whose run has ended meanwhile is
 * left out and removed.
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
    private final Set<String> warned = ConcurrentHashMap.newKeySet();
    private final String unfinishedPath;
    private final Object indexLock = new Object();
    /** The runs with an index entry, as this process knows them (guarded by indexLock). */
    private final Set<String> indexed = new java.util.HashSet<>();
    /** Whether this process proved the index complete and keeps it so (guarded by indexLock). */
    private boolean indexCurrent;

    public ZkRunStore(ZkConnection zk) {
        this.curator = zk.curator();
        this.runsPath = zk.url().path("runs");
        this.reads = new PipelinedReads(curator);
        this.unfinishedPath = zk.url().path("unfinished");
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
        index(run);
    }

    /**
     * Keeps the run's index entry. Never fails the save: the record is stored, and an entry that could not be made
     * leaves the index's count behind, so the next {@link #unfinished} rebuilds it.
     */
    private void index(RunStatus run) {
        synchronized (indexLock) {
            try {
                if (!run.phase().isTerminal()) {
                    if (indexed.add(run.id())) {
                        curator.create().orSetData().creatingParentsIfNeeded().forPath(entry(run.id()));
                        if (indexCurrent) {
                            markCurrent();
                        }
                    }
                } else if (indexed.remove(run.id()) || !indexCurrent) {
                    deleteEntry(run.id());
                }
            } catch (Exception e) {
                indexCurrent = false;
                LOG.log(System.Logger.Level.WARNING, "the index of unfinished runs could not be kept (" + describe(e)
                        + "); the next start reads every run instead");
            }
        }
    }

    /** The stored runs that have not ended, oldest first, through the index where it is complete. */
    @Override
    public List<RunStatus> unfinished() {
        synchronized (indexLock) {
            Stat runs;
            try {
                runs = curator.checkExists().forPath(runsPath);
            } catch (Exception e) {
                throw new ZkStoreException("cannot read " + runsPath + ": " + describe(e), e);
            }
            List<RunStatus> unfinished;
            boolean current = true;
            if (runs == null) {
                unfinished = List.of();  // nothing stored: the first run's entry and count make the index
            } else if (String.valueOf(runs.getCversion()).equals(marker().orElse(null))) {
                List<String> entries = children(unfinishedPath);
                unfinished = readAll(entries).values().stream().filter(r -> !r.phase().isTerminal()).toList();
                Set<String> live = new java.util.HashSet<>(unfinished.stream().map(RunStatus::id).toList());
                entries.stream().filter(id -> !live.contains(id)).forEach(this::deleteEntryQuietly);
            } else {
                unfinished = list().stream().filter(r -> !r.phase().isTerminal()).toList();
                current = rebuild(unfinished, runs.getCversion());
            }
            indexed.clear();
            unfinished.forEach(r -> indexed.add(r.id()));
            indexCurrent = current;
            List<RunStatus> sorted = new ArrayList<>(unfinished);
            sorted.sort(OLDEST_FIRST);
            return sorted;
        }
    }

    /** Whether the index's count matches the runs' (package-private: tests show which way a restart reads). */
    boolean indexIsCurrent() {
        try {
            Stat runs = curator.checkExists().forPath(runsPath);
            return runs != null && String.valueOf(runs.getCversion()).equals(marker().orElse(null));
        } catch (Exception e) {
            throw new ZkStoreException("cannot read " + runsPath + ": " + describe(e), e);
        }
    }

    /** Makes the index hold exactly these runs, at this count; whether it could. */
    private boolean rebuild(List<RunStatus> unfinished, int cversion) {
        try {
            Set<String> want = new java.util.HashSet<>(unfinished.stream().map(RunStatus::id).toList());
            List<String> have = children(unfinishedPath);
            for (String id : want) {
                if (!have.contains(id)) {
                    curator.create().orSetData().creatingParentsIfNeeded().forPath(entry(id));
                }
            }
            have.stream().filter(id -> !want.contains(id)).forEach(this::deleteEntryQuietly);
            // The count read before the listing: a run created since (none is, before take-over) rebuilds again.
            curator.create().orSetData().creatingParentsIfNeeded().forPath(unfinishedPath,
                    String.valueOf(cversion).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            LOG.log(System.Logger.Level.INFO, "rebuilt the index of unfinished runs: " + want.size() + " run(s)");
            return true;
        } catch (Exception e) {
            LOG.log(System.Logger.Level.WARNING, "the index of unfinished runs could not be rebuilt (" + describe(e)
                    + "); the next start reads every run again");
            return false;
        }
    }

    /** Records the runs' current count as the one the index is complete at. */
    private void markCurrent() throws Exception {
        Stat runs = curator.checkExists().forPath(runsPath);
        if (runs != null) {
            curator.create().orSetData().creatingParentsIfNeeded().forPath(unfinishedPath,
                    String.valueOf(runs.getCversion()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    private Optional<String> marker() {
        return read(unfinishedPath).map(bytes -> new String(bytes, java.nio.charset.StandardCharsets.UTF_8));
    }

    private String entry(String runId) {
        return unfinishedPath + "/" + runId;
    }

    private void deleteEntry(String runId) throws Exception {
        try {
            curator.delete().forPath(entry(runId));
        } catch (KeeperException.NoNodeException e) {
            // none to delete
        }
    }

    private void deleteEntryQuietly(String runId) {
        try {
            deleteEntry(runId);
        } catch (Exception e) {
            // a stale entry is read and left out again next time
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
        List<RunStatus> runs = new ArrayList<>(readAll(ids()).values());
        runs.sort(OLDEST_FIRST);
        return runs;
    }

    @Override
    public RunPage page(String after, int limit, Predicate<RunStatus> filter) {
        return RunPages.page(ids(), after, limit, filter, this::readAll);
    }

    /**
     * Deletes the znode of an ended run, only if it still holds the record that was checked: a save in between (none
     * is expected once a run has ended) makes the check run again on what it wrote.
     */
    @Override
    public boolean delete(String runId) {
        if (!SAFE_ID.matcher(runId).matches()) {
            return false;
        }
        String path = path(runId);
        for (int attempt = 1; ; attempt++) {
            Stat stat = new Stat();
            byte[] record;
            try {
                record = curator.getData().storingStatIn(stat).forPath(path);
            } catch (KeeperException.NoNodeException e) {
                return false;
            } catch (Exception e) {
                throw new ZkStoreException("cannot read the run record at " + path + ": " + describe(e), e);
            }
            RunStatus run = codec.decode(record, path);
            if (!run.phase().isTerminal()) {
                throw new IllegalStateException("run " + runId + " is " + run.phase() + " and has not ended: its "
                        + "record at " + path + " is kept");
            }
            try {
                curator.delete().withVersion(stat.getVersion()).forPath(path);
                forgotten(runId);
                return true;
            } catch (KeeperException.NoNodeException e) {
                return false;
            } catch (KeeperException.BadVersionException e) {
                if (attempt == 3) {
                    throw new ZkStoreException("cannot delete run " + runId + ": its record at " + path + " kept "
                            + "changing while it was deleted", e);
                }
            } catch (Exception e) {
                throw new ZkStoreException("cannot delete the run record at " + path + ": " + describe(e), e);
            }
        }
    }

    /** A deleted record changed the runs' count: the index follows, if this process keeps it. */
    private void forgotten(String runId) {
        synchronized (indexLock) {
            try {
                if (indexed.remove(runId)) {
                    deleteEntry(runId);
                }
                if (indexCurrent) {
                    markCurrent();
                }
            } catch (Exception e) {
                indexCurrent = false;  // the count is behind: the next start rebuilds
            }
        }
    }

    private List<String> ids() {
        return children(runsPath);
    }

    private List<String> children(String parent) {
        try {
            return curator.getChildren().forPath(parent);
        } catch (KeeperException.NoNodeException e) {
            return List.of(); // nothing was ever saved under this root
        } catch (Exception e) {
            throw new ZkStoreException("cannot list the " + (parent.equals(runsPath) ? "runs" : "entries") + " under "
                    + parent + ": " + describe(e), e);
        }
    }

    /** The readable runs among {@code ids}, by id, read with many requests in flight. */
    private Map<String, RunStatus> readAll(Collection<String> ids) {
        Map<String, byte[]> records;
        try {
            records = reads.read(ids.stream().map(this::path).toList());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ZkStoreException("interrupted while reading the runs under " + runsPath, e);
        } catch (Exception e) {
            throw new ZkStoreException("cannot read the runs under " + runsPath + ": " + describe(e), e);
        }
        Map<String, RunStatus> runs = new HashMap<>(records.size() * 2);
        records.forEach((path, record) -> {
            try {
                RunStatus run = codec.decode(record, path);
                runs.put(path.substring(runsPath.length() + 1), run);
            } catch (ZkStoreException e) {
                if (warned.add(e.getMessage())) {   // once per record and problem: the web UI lists every 2 s
                    LOG.log(System.Logger.Level.WARNING, "left out of the run list: " + e.getMessage());
                }
            }
        });
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
