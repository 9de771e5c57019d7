package io.snapci.scheduler.core.run;

import io.snapci.model.RunStatus;

/**
 * Hears every run the service drives: each saved status, each progress note, each line of test output.
 * Called on the run's threads; implementations must be quick and thread-safe.
 */
public interface RunObserver {

    default void onStatus(RunStatus status) {
    }

    default void onProgress(String runId, String note) {
    }

    default void onTestOutput(String runId, String line, boolean stderr) {
    }
}
