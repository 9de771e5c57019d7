package io.snapci.cli.service;

import io.snapci.cli.remote.SnapciApi;
import io.snapci.model.RunStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.time.Instant;

/** {@code snapci status RUN}: one run, as the service has it now. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Show a run on the snapci service: phase, source, tests, history.",
                "Exit code: 0, 2 = no such run, 3 = the service cannot be reached."})
public final class StatusCommand extends ApiCommand {

    @Parameters(paramLabel = "RUN", description = "The run's id (snapci list shows them).")
    String runId;

    @Option(names = "--json", description = "The run as the API returns it.")
    boolean json;

    @Override
    int call(SnapciApi api, PrintStream out) throws Exception {
        if (json) {
            out.println(api.get("v1/runs/" + runId).toPrettyString());
            return 0;
        }
        RunStatus run = api.run(runId);
        out.print(RunText.block(run, Instant.now()));
        return 0;
    }
}
