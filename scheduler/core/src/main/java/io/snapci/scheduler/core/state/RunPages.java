package io.snapci.scheduler.core.state;

import io.snapci.model.RunStatus;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * How a store pages through its runs when it can list their ids without reading the records (file names, znode
 * names): the ids newest first, the records read a batch at a time, only as far as the page needs. Without a filter
 * a page of {@code n} reads {@code n + 1} records (the one more says whether a next page exists), whatever the
 * store holds; a filter that few runs match reads further, in growing batches.
 */
public final class RunPages {

    /** Newest first: run ids sort by creation time ({@code RunIds}), so the greatest id is the newest run. */
    public static final Comparator<String> NEWEST_FIRST = Comparator.reverseOrder();

    /** The largest batch read at once, so a store with thousands of runs is not read in one go for one page. */
    static final int MAX_BATCH = 1024;

    private RunPages() {
    }

    /**
     * @param ids    every stored run's id, in any order
     * @param after  the id the page starts after (exclusive), or null for the newest run
     * @param limit  the most runs on the page, at least 1
     * @param filter which runs count
     * @param read   reads the records of a batch of ids: each readable one by its id; ids whose record is gone or
     *               cannot be read are left out (the store says why)
     */
    public static RunPage page(Collection<String> ids, String after, int limit, Predicate<RunStatus> filter,
                               Function<List<String>, Map<String, RunStatus>> read) {
        if (limit < 1) {
            throw new IllegalArgumentException("a page holds at least one run, asked for " + limit);
        }
        List<String> candidates = ids.stream()
                .filter(id -> after == null || NEWEST_FIRST.compare(id, after) > 0)
                .sorted(NEWEST_FIRST).toList();
        List<RunStatus> matching = new ArrayList<>(limit + 1);
        int from = 0;
        int batch = limit + 1;
        while (from < candidates.size() && matching.size() <= limit) {
            List<String> chunk = candidates.subList(from, Math.min(candidates.size(), from + batch));
            Map<String, RunStatus> records = read.apply(chunk);
            for (String id : chunk) {
                RunStatus run = records.get(id);
                if (run != null && filter.test(run)) {
                    matching.add(run);
                    if (matching.size() > limit) {
                        break;
                    }
                }
            }
            from += chunk.size();
            batch = Math.min(batch * 2, Math.max(MAX_BATCH, limit + 1));
        }
        if (matching.size() <= limit) {
            return new RunPage(matching, null);
        }
        List<RunStatus> page = matching.subList(0, limit);
        return new RunPage(page, page.get(limit - 1).id());
    }
}
