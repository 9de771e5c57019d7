package io.snapci.cli.service;

import io.snapci.cli.ExitCodes;
import io.snapci.cli.remote.SnapciApi;
import io.snapci.model.RunStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.time.Duration;

/** {@code snapci cancel RUN}: stop a run; the service kills its processes and deletes its copy. */
@Command(name = "cancel", mixinStandardHelpOptions = true,
        description = {"Cancel a run on the snapci service: its tests and Cassandra are stopped, its copy deleted.",
                "Exit code: 0, 2 = no such run or it had already ended, 3 = the service cannot be reached or the "
                        + "run did not end CANCELLED within --wait."})
public final class CancelCommand extends ApiCommand {

    private static final Duration POLL = Duration.ofMillis(500);

    @Parameters(paramLabel = "RUN", description = "The run's id.")
    String runId;

    @Option(names = "--wait", paramLabel = "DURATION", converter = io.snapci.cli.DurationConverter.class,
            defaultValue = "2m", description = "Wait until the run has ended, at most this long (0s: do not wait; "
            + "default ${DEFAULT-VALUE}).")
    Duration wait;

    @Override
    int call(SnapciApi api, PrintStream out) throws InterruptedException {
        RunStatus accepted = io.snapci.cli.remote.SnapciApi.toRun(api.delete("v1/runs/" + runId));
        // A queued run is cancelled at once; an executing one is still stopping.
        out.println("cancel requested: run " + runId + " is " + accepted.phase());
        if (wait.isZero()) {
            return 0;
        }
        long deadline = System.nanoTime() + wait.toNanos();
        RunStatus run = accepted;
        while (!run.phase().isTerminal()) {
            if (System.nanoTime() > deadline) {
                out.println("run " + runId + " is still " + run.phase() + " after " + wait.toSeconds()
                        + " s; see snapci status " + runId);
                return ExitCodes.INFRASTRUCTURE;
            }
            Thread.sleep(POLL.toMillis());
            run = api.run(runId);
        }
        out.println("run " + runId + " " + run.phase() + ", copy " + (run.cleanedUp() ? "deleted" : "NOT DELETED"));
        return 0;
    }
}
