package io.snapci.scheduler.core.state;

import io.snapci.model.RunStatus;

import java.util.List;
import java.util.Optional;

/**
 * Where runs are kept so that a restarted scheduler knows them: a local file store by default, ZooKeeper in a
 * cluster. Saving a run replaces what was stored under its id.
 */
public interface RunStore {

    void save(RunStatus run);

    Optional<RunStatus> find(String runId);

    /** Every stored run, oldest first. */
    List<RunStatus> list();
}
