package io.snapci.scheduler.core.state;

import io.snapci.model.RunStatus;

import java.util.List;

/**
 * One page of stored runs, newest first.
 *
 * @param runs the runs on this page
 * @param next the id to ask for the following page after ({@link RunStore#page}), or null when no more runs match
 */
public record RunPage(List<RunStatus> runs, String next) {

    public RunPage {
        runs = List.copyOf(runs);
    }

    public boolean hasNext() {
        return next != null;
    }
}
