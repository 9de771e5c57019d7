package io.snapci.scheduler.zookeeper;

import io.snapci.scheduler.core.audit.AuditEntry;
import io.snapci.scheduler.core.audit.AuditFailure;
import io.snapci.scheduler.core.audit.AuditLog;
import io.snapci.scheduler.core.audit.AuditQuery;
import io.snapci.scheduler.core.state.StoredRecords;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The audit log in ZooKeeper: each entry a persistent <em>sequential</em> znode {@code <root>/audit/e-0000000042}
 * holding its {@link StoredRecords} JSON. ZooKeeper numbers the children of {@code audit/} in the order the leader
 * commits their creation (a 10-digit, zero-padded counter, so name order is append order), and no write here ever
 * sets a znode's data again: order and append-only come from ZooKeeper, whichever scheduler process appended, and
 * they survive a restart or a leader change.
 *
 * <p>Retention deletes whole znodes. It keeps the count far below the ~40,000 names that fill ZooKeeper's 1 MB
 * answer to {@code getChildren} (at 90 days that is ~440 entries a day). An unreadable entry (edited by hand, or of
 * a newer major version) is left out with one warning naming its znode.
 */
public final class ZkAuditLog implements AuditLog {

    private static final System.Logger LOG = System.getLogger(ZkAuditLog.class.getName());
    static final String PREFIX = "e-";

    private final CuratorFramework curator;
    private final String auditPath;
    private final PipelinedReads reads;
    private final Set<String> warned = ConcurrentHashMap.newKeySet();

    public ZkAuditLog(ZkConnection zk) {
        this.curator = zk.curator();
        this.auditPath = zk.url().path("audit");
        this.reads = new PipelinedReads(curator);
    }

    @Override
    public void append(AuditEntry entry) {
        try {
            curator.create().creatingParentsIfNeeded().withMode(CreateMode.PERSISTENT_SEQUENTIAL)
                    .forPath(auditPath + "/" + PREFIX, StoredRecords.write(entry));
        } catch (Exception e) {
            throw new AuditFailure("cannot append to the audit log at " + auditPath + ": " + e.getMessage(), e);
        }
    }

    @Override
    public List<AuditEntry> query(AuditQuery query) {
        List<AuditEntry> matching = readAll().stream().map(Named::entry).filter(query::matches).toList();
        return List.copyOf(matching.subList(Math.max(0, matching.size() - query.limit()), matching.size()));
    }

    @Override
    public int pruneBefore(Instant cutoff) {
        int removed = 0;
        for (Named named : readAll()) {
            if (!named.entry().at().isBefore(cutoff)) {
                continue;
            }
            try {
                curator.delete().forPath(named.path());
                removed++;
            } catch (KeeperException.NoNodeException e) {
                // Another process pruned it meanwhile (a standby that was leader a moment ago): gone either way.
            } catch (Exception e) {
                throw new AuditFailure("cannot prune " + named.path() + ": " + e.getMessage(), e);
            }
        }
        return removed;
    }

    private record Named(String path, AuditEntry entry) {
    }

    /** Every readable entry, in append order (by sequence number). */
    private List<Named> readAll() {
        try {
            List<String> names;
            try {
                names = new ArrayList<>(curator.getChildren().forPath(auditPath));
            } catch (KeeperException.NoNodeException e) {
                return List.of();
            }
            names.removeIf(name -> !name.startsWith(PREFIX));
            names.sort(null);
            List<String> paths = names.stream().map(name -> auditPath + "/" + name).toList();
            Map<String, byte[]> data = reads.read(paths);
            List<Named> entries = new ArrayList<>();
            for (String path : paths) {
                byte[] json = data.get(path);
                if (json == null) {
                    continue;
                }
                try {
                    entries.add(new Named(path, StoredRecords.read(json, AuditEntry.class)));
                } catch (Exception e) {
                    if (warned.add(path)) {
                        LOG.log(System.Logger.Level.WARNING, "left out of the audit log: " + path + ": "
                                + e.getMessage());
                    }
                }
            }
            return entries;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AuditFailure("interrupted reading the audit log at " + auditPath, e);
        } catch (Exception e) {
            throw new AuditFailure("cannot read the audit log at " + auditPath + ": " + e.getMessage(), e);
        }
    }
}
