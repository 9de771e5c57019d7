package io.snapci.scheduler.core.state;

import io.snapci.model.RunStatus;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Where runs are kept so that a restarted scheduler knows them: a local file store by default, ZooKeeper in a
 * cluster. Saving a run replaces what was stored under its id. Records are written and read with
 * {@link StoredRecords}: each carries its schema version, and a record written by a newer snapci is still read
 * (what it added is ignored) unless its major version is newer, in which case it is left alone.
 *
 * <p>Every implementation passes the contract in the test kit ({@code RunStoreContract}).
 */
public interface RunStore {

    void save(RunStatus run);

    Optional<RunStatus> find(String runId);

    /** Every stored run, oldest first. Listing for people pages; a restarted scheduler reads {@link #unfinished}. */
    List<RunStatus> list();

    /**
     * The stored runs that have not ended, oldest first: what a restarted scheduler takes over. This default reads
     * every run; a store that keeps an index of them reads only those.
     */
    default List<RunStatus> unfinished() {
        return list().stream().filter(run -> !run.phase().isTerminal()).toList();
    }

    /**
     * Up to {@code limit} runs that {@code filter} accepts, newest first, starting after the run with id
     * {@code after} (exclusive; null starts with the newest). Newest first is by id, greatest first: run ids sort by
     * their creation time to the second ({@code RunIds}), and within one second by their random suffix, so the order
     * is total and a page never repeats or skips a run that existed when the first page was read. A run deleted
     * meanwhile (even the one named by {@code after}) does not break the walk.
     *
     * <p>This default reads every run; a store that can list ids without reading records pages with
     * {@link RunPages} instead.
     */
    default RunPage page(String after, int limit, Predicate<RunStatus> filter) {
        Map<String, RunStatus> byId = list().stream().collect(Collectors.toMap(RunStatus::id, Function.identity(),
                (a, b) -> a));
        return RunPages.page(byId.keySet(), after, limit, filter, ids -> byId);
    }

    /**
     * Deletes the record of a run that has ended; returns false when there is none. A run that has not ended is
     * refused with an {@link IllegalStateException} and kept: it may still own a copy or tasks, and forgetting it
     * would leave them to no one.
     */
    boolean delete(String runId);
}
