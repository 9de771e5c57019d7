package io.snapci.cli.service;

import io.snapci.cli.remote.SnapciApi;
import io.snapci.model.RunStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;

/**
 * {@code snapci logs RUN [-f]}: a run's test output or Cassandra log. {@code -f} follows the file until the run
 * ends, printing what was added since the last look. It re-reads the file each time (the API has no offset to start
 * from), which is fine for test output; the event stream is not used, because it carries only the test command's
 * lines and loses those written while disconnected.
 */
@Command(name = "logs", mixinStandardHelpOptions = true,
        description = {"Print a run's test output (or Cassandra's log) from the snapci service.",
                "Exit code: 0, 2 = no such run or no such log yet (without -f), 3 = the service cannot be reached."})
public final class LogsCommand extends ApiCommand {

    private static final Duration POLL = Duration.ofSeconds(1);

    enum Task { tests, cassandra }

    @Parameters(paramLabel = "RUN", description = "The run's id.")
    String runId;

    @Option(names = {"-f", "--follow"}, description = "Keep printing what is added until the run ends.")
    boolean follow;

    @Option(names = "--task", paramLabel = "TASK", defaultValue = "tests",
            description = "tests (the test command's output, default) or cassandra (Cassandra's log).")
    Task task;

    @Option(names = "--stderr", description = "The test command's standard error instead of its standard output; with --task cassandra,"
            + " the node's console (in a cluster: the task's stderr, where the agent's fetcher and snapci's node"
            + " launcher write).")
    boolean stderr;

    @Option(names = "--tail", paramLabel = "BYTES", description = "Only the last BYTES of the log.")
    Integer tail;

    @Override
    int call(SnapciApi api, PrintStream out) throws InterruptedException {
        String path = "v1/runs/" + runId + "/logs?task=" + task + (stderr ? "&stream=stderr" : "");
        if (!follow) {
            out.print(api.text(path + (tail == null ? "" : "&tail=" + tail)));
            return 0;
        }
        int printed = -1;
        while (true) {
            // The run first: when it has ended, the log read after it is complete.
            RunStatus run = api.run(runId);
            StringBuilder why = new StringBuilder();
            Optional<byte[]> log = api.optional(path, why);
            if (log.isPresent()) {
                byte[] bytes = log.get();
                int from = printed >= 0 ? printed : tail == null ? 0 : Math.max(0, bytes.length - tail);
                out.write(Arrays.copyOfRange(bytes, Math.min(from, bytes.length), bytes.length), 0,
                        Math.max(0, bytes.length - from));
                out.flush();
                printed = bytes.length;
            }
            if (run.phase().isTerminal()) {
                if (log.isEmpty()) {
                    System.err.println("snapci: run " + runId + " ended " + run.phase() + " with no " + task
                            + " log: " + why);
                }
                return 0;
            }
            Thread.sleep(POLL.toMillis());
        }
    }
}
