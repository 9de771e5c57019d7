package io.snapci.cli.remote;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.snapci.cli.CancelOnShutdown;
import io.snapci.cli.ExitCodes;
import io.snapci.cli.RunCommand;
import io.snapci.cli.display.RunDisplay;
import io.snapci.model.Phase;
import io.snapci.model.RunStatus;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;

/**
 * {@code snapci run} against the service: submit the spec, follow the run's events to its end (progress, the test
 * output), write its JUnit XML, and exit as a local run would. Ctrl-C cancels the run on the service.
 */
public final class RemoteRun {

    private final SnapciApi api;
    private final Function<String, RunDisplay> displays;
    private final Duration reconnectFor;

    /** @param displays makes the display for a run, given its id */
    public RemoteRun(SnapciApi api, Function<String, RunDisplay> displays, Duration reconnectFor) {
        this.api = api;
        this.displays = displays;
        this.reconnectFor = reconnectFor;
    }

    /** Submits {@code request} (a run spec, with its clientKey) and follows the run; returns the exit code. */
    public int execute(ObjectNode request, Path junitOut) throws InterruptedException {
        RunStatus run = SnapciApi.toRun(api.post("v1/runs", request));
        RunDisplay display = displays.apply(run.id());
        String key = request.path("clientKey").asText(null);
        String keyNote = key == null ? "" : run.phase() == Phase.QUEUED && run.history().size() == 1
                ? " (client key " + key + ")" : " (client key " + key + ": submitted before, following that run)";
        display.note("run " + run.id() + " on " + api.endpoint().base() + keyNote);
        String runId = run.id();
        CancelOnShutdown cancel = CancelOnShutdown.install(runId, display::note, () -> {
            display.note("interrupted: cancelling run " + runId + " on the service");
            try {
                api.delete("v1/runs/" + runId);
            } catch (ApiFailure e) {
                if (e.status() != 409) {  // 409: it has just ended by itself
                    display.note("could not cancel run " + runId + ": " + e.describe());
                    return false;
                }
            }
            return true;
        });
        try {
            RunStatus ended = new RunFollower(api, display, reconnectFor).follow(run.id());
            display.close();
            writeJUnit(ended, junitOut, display);
            display.note(RunCommand.summary(ended));
            return ExitCodes.of(ended);
        } finally {
            display.close();
            cancel.runEnded();
        }
    }

    private void writeJUnit(RunStatus run, Path junitOut, RunDisplay display) {
        if (junitOut == null) {
            return;
        }
        StringBuilder why = new StringBuilder();
        Optional<byte[]> xml = api.optional("v1/runs/" + run.id() + "/junit", why);
        if (xml.isEmpty()) {
            display.note("no JUnit XML: " + why + "; nothing written to " + junitOut);
            return;
        }
        try {
            Path target = junitOut.toAbsolutePath();
            Files.createDirectories(target.getParent());
            Files.write(target, xml.get());
            display.note("JUnit XML written to " + target);
        } catch (IOException e) {
            display.note("could not write JUnit XML to " + junitOut + ": " + e.getMessage());
        }
    }
}
