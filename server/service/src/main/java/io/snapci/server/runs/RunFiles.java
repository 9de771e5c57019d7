package io.snapci.server.runs;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/** Where a run's logs and merged JUnit XML are, when they are files this process can read. */
public interface RunFiles {

    /** The processes of a run whose logs can be asked for. */
    enum Task { CASSANDRA, TESTS }

    /** The log of one task; for the tests, {@code stderr} picks their standard error instead of their output. */
    Optional<Path> log(String runId, Task task, boolean stderr);

    Optional<Path> junit(String runId);

    /**
     * Deletes what this process keeps of an ended run's files (its directory on one machine, the copies fetched from
     * its sandboxes in a cluster), for retention; nothing that is not the run's own, and nothing when there is none.
     */
    void delete(String runId) throws IOException;
}
