package io.snapci.server.runs;

import io.snapci.model.RunStatus;
import io.snapci.scheduler.core.state.RunPage;
import io.snapci.scheduler.core.state.RunStore;
import io.snapci.server.config.RetentionConfig;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Deletes ended runs, record and files, once they ended more than {@code maxAge} ago or once {@code maxCount} newer
 * runs are stored, so that the store stays small: a ZooKeeper store must list its runs' ids in one answer of at most
 * 1 MB (about 40,000 ids), and every restart reads what is stored. "Newer" is the listing's order (newest first,
 * {@link RunStore#page}). A run that has not ended is never deleted, whatever its age (it may own a copy or tasks);
 * it still counts towards {@code maxCount}. A record this version cannot read (one a newer major version wrote) is
 * not listed, so it is neither counted nor deleted.
 *
 * <p>Runs are walked a page at a time, newest first, so a check never holds the whole store in memory. A run's files
 * go before its record: if the process dies in between, the next check finds the record and deletes the rest.
 * It runs on its own thread ({@value #THREAD}), started and stopped by serve.
 */
public final class RunRetention implements AutoCloseable {

    static final String THREAD = "snapci-run-retention";
    static final int PAGE = 500;

    private final RunStore store;
    private final RunFiles files;
    private final RetentionConfig config;
    private final Clock clock;
    private final Consumer<String> log;
    private final Consumer<RunStatus> deleted;
    private ScheduledExecutorService timer;

    public RunRetention(RunStore store, RunFiles files, RetentionConfig config, Clock clock, Consumer<String> log) {
        this(store, files, config, clock, log, run -> {
        });
    }

    /** @param deleted told of each run once its record is gone (the audit log's RUN_DELETED) */
    public RunRetention(RunStore store, RunFiles files, RetentionConfig config, Clock clock, Consumer<String> log,
                        Consumer<RunStatus> deleted) {
        this.store = store;
        this.files = files;
        this.config = config;
        this.clock = clock;
        this.log = log;
        this.deleted = deleted;
    }

    /** Checks now, then every {@code interval} until {@link #close()}. */
    public synchronized void start() {
        start(Duration.ZERO);
    }

    /**
     * Checks after {@code firstCheckAfter}, then every {@code interval} until {@link #close()}. serve waits a while:
     * a check reads every stored run, which a restarted scheduler should not do while it takes its runs over.
     */
    public synchronized void start(Duration firstCheckAfter) {
        if (timer != null) {
            return;
        }
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, THREAD);
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::checkLogged, firstCheckAfter.toMillis(), config.interval().toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /**
     * One check: deletes every ended run past the age or the count, and returns their ids. A run that cannot be
     * deleted is logged and left for the next check; a store that cannot be read ends this check.
     */
    public List<String> check() {
        Instant oldest = clock.instant().minus(config.maxAge());
        List<String> deleted = new ArrayList<>();
        int newer = 0;
        String after = null;
        do {
            RunPage page = store.page(after, PAGE, run -> true);
            for (RunStatus run : page.runs()) {
                boolean expired = run.phase().isTerminal()
                        && (newer >= config.maxCount() || endedAt(run).isBefore(oldest));
                if (expired && delete(run)) {
                    deleted.add(run.id());
                } else {
                    newer++;   // still stored: it counts against maxCount for the older runs
                }
            }
            after = page.next();
        } while (after != null && !Thread.currentThread().isInterrupted());
        return deleted;
    }

    private boolean delete(RunStatus run) {
        try {
            files.delete(run.id());
            boolean gone = store.delete(run.id());
            if (gone) {
                deleted.accept(run);
            }
            return gone;
        } catch (IOException | RuntimeException e) {
            log.accept("retention could not delete ended run " + run.id() + " (tried again at the next check): "
                    + e.getMessage());
            return false;
        }
    }

    /** When the run entered its terminal phase: the last change of its history. */
    private static Instant endedAt(RunStatus run) {
        return run.history().get(run.history().size() - 1).at();
    }

    private void checkLogged() {
        try {
            List<String> deleted = check();
            if (!deleted.isEmpty()) {
                log.accept("retention deleted " + deleted.size() + " ended run(s) past runs.retention.maxAge="
                        + config.maxAge() + " or runs.retention.maxCount=" + config.maxCount() + ": " + summary(deleted));
            }
        } catch (RuntimeException e) {
            // A store that cannot be read now may be readable at the next check; nothing was half-deleted.
            log.accept("retention could not read the runs (tried again in " + config.interval() + "): "
                    + e.getMessage());
        }
    }

    private static String summary(List<String> ids) {
        return ids.size() <= 5 ? String.join(", ", ids)
                : String.join(", ", ids.subList(0, 5)) + " and " + (ids.size() - 5) + " more";
    }

    /** Stops the checks; one in progress is interrupted and ends after the run it is deleting. */
    @Override
    public synchronized void close() {
        if (timer == null) {
            return;
        }
        timer.shutdownNow();
        try {
            if (!timer.awaitTermination(10, TimeUnit.SECONDS)) {
                log.accept("retention did not stop within 10 s; it ends with the process");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
