package io.snapci.tests.support;

import io.snapci.model.Phase;
import io.snapci.model.RunSpec;
import io.snapci.model.RunStatus;
import io.snapci.scheduler.core.state.RunStore;
import io.snapci.scheduler.local.state.FileRunStore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;

/**
 * Runs a serve on this work root would have left behind, written into its run store and run directories before
 * the serve starts: a history of months without booting a Cassandra per run.
 */
public final class StoredRuns {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
            .withZone(ZoneOffset.UTC);

    private final Path workRoot;
    private final RunStore store;

    public StoredRuns(Path workRoot) {
        this.workRoot = workRoot;
        this.store = new FileRunStore(workRoot.resolve("state").resolve("runs"));
    }

    /** An id as RunIds makes one for a run created at {@code at}. */
    public static String id(Instant at, int suffix) {
        return "r" + STAMP.format(at) + "-" + String.format("%04x", suffix & 0xffff);
    }

    /** A run created at {@code at} that went the whole way to {@code phase} in a minute. */
    public static RunStatus ended(String id, Instant at, Phase phase, Map<String, String> labels) {
        RunStatus run = RunStatus.queued(id, new RunSpec(null, "mvn -B verify", null, null, null, null, null, null,
                labels), at);
        return run.withPhase(Phase.SNAPSHOTTING, "copying", at).withPhase(Phase.PLACING, "placing", at)
                .withPhase(Phase.STARTING_CASSANDRA, "booting", at.plusSeconds(1))
                .withPhase(Phase.TESTING, "testing", at.plusSeconds(10))
                .withTestResult(phase == Phase.PASSED ? 0 : 1, null)
                .withPhase(phase, "the tests " + phase, at.plusSeconds(60)).withCleanedUp(true);
    }

    public RunStore store() {
        return store;
    }

    /** Saves the run and gives it a run directory with a test log, as a local run leaves one. */
    public Path save(RunStatus run) throws IOException {
        store.save(run);
        Path dir = runDir(run.id());
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("tests.stdout.log"), "[INFO] BUILD " + run.phase() + "\n");
        return dir;
    }

    public Path runDir(String runId) {
        return workRoot.resolve("runs").resolve(runId);
    }

    public Path recordFile(String runId) {
        return workRoot.resolve("state").resolve("runs").resolve(runId + ".json");
    }
}
