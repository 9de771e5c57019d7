package io.snapci.scheduler.portworx;

import io.snapci.scheduler.core.state.RunStore;

/** What GC needs to know of a run: is it still going, over, or unknown to this scheduler? */
@FunctionalInterface
public interface RunLookup {

    enum State { ACTIVE, FINISHED, UNKNOWN }

    State stateOf(String runId);

    /** From the scheduler's run store: a stored run that has not ended is active. */
    static RunLookup of(RunStore store) {
        return runId -> store.find(runId)
                .map(run -> run.phase().isTerminal() ? State.FINISHED : State.ACTIVE)
                .orElse(State.UNKNOWN);
    }
}
