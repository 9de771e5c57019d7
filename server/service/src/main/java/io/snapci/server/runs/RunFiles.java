package io.snapci.server.runs;

import java.nio.file.Path;
import java.util.Optional;

/** Where a run's logs and merged JUnit XML are, when they are files this process can read. */
public interface RunFiles {

    /** The processes of a run whose logs can be asked for. */
    enum Task { CASSANDRA, TESTS }

    /** The log of one task; for the tests, {@code stderr} picks their standard error instead of their output. */
    Optional<Path> log(String runId, Task task, boolean stderr);

    Optional<Path> junit(String runId);
}
