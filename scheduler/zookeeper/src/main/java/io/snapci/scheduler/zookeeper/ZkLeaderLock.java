package io.snapci.scheduler.zookeeper;

import org.apache.curator.framework.recipes.leader.LeaderLatch;
import org.apache.curator.framework.recipes.leader.LeaderLatchListener;
import org.apache.curator.framework.recipes.leader.Participant;

import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * One scheduler at a time per service root ({@code <root>/leader}, Curator's LeaderLatch): a process subscribes to
 * the master and launches nothing until it holds the lock. A second {@code snapci serve} against the same root (a
 * Marathon upgrade that overlaps, an operator's mistake, a partitioned instance Marathon replaced) waits, passive,
 * and takes over when the first dies or loses its session.
 *
 * <p>The connection treats only a lost session as an error ({@link ZkConnection} uses Curator's session error
 * policy), so a leader keeps the lock through a short disconnect and loses it when its session expires — at which
 * point another process may already lead, and this one must stop acting at once: {@code onLost} is told (in serve,
 * the process exits, crash-only).
 */
public final class ZkLeaderLock implements AutoCloseable {

    private final LeaderLatch latch;
    private final CompletableFuture<Void> acquired = new CompletableFuture<>();

    /**
     * @param id     who this process is, as the standby's health shows the leader (host:port)
     * @param onLost told, once, when the lock was held and is no more
     */
    public ZkLeaderLock(ZkConnection zk, String id, Consumer<String> onLost) {
        this.latch = new LeaderLatch(zk.curator(), zk.url().path("leader"), id, LeaderLatch.CloseMode.SILENT);
        latch.addListener(new LeaderLatchListener() {
            @Override
            public void isLeader() {
                acquired.complete(null);
            }

            @Override
            public void notLeader() {
                if (acquired.isDone()) {
                    onLost.accept("this scheduler lost the leader lock " + zk.url().path("leader")
                            + " (its ZooKeeper session ended); another one may lead now");
                }
            }
        });
    }

    /** Joins the election; {@link #acquired()} completes when this process leads. */
    public void start() {
        try {
            latch.start();
        } catch (Exception e) {
            throw new IllegalStateException("cannot join the leader election as " + latch.getId() + ": " + e, e);
        }
    }

    public CompletableFuture<Void> acquired() {
        return acquired;
    }

    public boolean isLeader() {
        return latch.hasLeadership();
    }

    /** The id of the process that holds the lock, if any (for a standby's health answer). */
    public Optional<String> leader() {
        try {
            Participant leader = latch.getLeader();
            return leader.isLeader() ? Optional.of(leader.getId()) : Optional.empty();
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    /** Leaves the election (a leader gives the lock up: the standby takes over at once). */
    @Override
    public void close() {
        try {
            latch.close();
        } catch (IOException | IllegalStateException e) {
            // already closed, or the connection is gone: either way this process holds nothing any more
        }
    }
}
