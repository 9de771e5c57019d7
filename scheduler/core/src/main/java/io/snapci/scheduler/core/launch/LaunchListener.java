package io.snapci.scheduler.core.launch;

import io.snapci.model.ExecutionListener;
import io.snapci.model.Placement;

/** Hears a launched run: where it was placed, then everything its execution reports. */
public interface LaunchListener extends ExecutionListener {

    /**
     * The run is being sent to {@code where}. Called before the launch goes out, so that the placement is recorded
     * before any task can exist (a restarted scheduler then knows which tasks to ask the cluster about).
     */
    default void onPlaced(Placement where) {
    }

    /**
     * The last attempt was lost with the machine it ran on (agent gone, unreachable, its tasks lost); attempt
     * {@code attempt} will run elsewhere. Called before the new attempt can be launched, so that the copy can be
     * released from the lost machine first.
     */
    default void onNewAttempt(int attempt) {
    }
}
