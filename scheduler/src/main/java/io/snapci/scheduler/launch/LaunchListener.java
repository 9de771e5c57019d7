package io.snapci.scheduler.launch;

import io.snapci.executor.ExecutionListener;

/** Hears a launched run: where it was placed, then everything its execution reports. */
public interface LaunchListener extends ExecutionListener {

    /** The run was placed on {@code where} (a host, an agent). */
    default void onPlaced(String where) {
    }
}
