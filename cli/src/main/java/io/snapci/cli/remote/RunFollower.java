package io.snapci.cli.remote;

import com.fasterxml.jackson.databind.JsonNode;
import io.snapci.model.RunStatus;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

/**
 * Follows a run's server-sent events until its {@code end}, and returns the run as it ended. A stream that breaks
 * (a proxy timeout, a scheduler restart, a dead connection noticed by the idle timeout) is opened again with
 * backoff for up to {@code giveUpAfter}, with the id of the last event received as {@code Last-Event-ID}: the
 * service goes on right after it, so the test output written while disconnected is shown, once, and no phase is
 * repeated (phases seen are skipped anyway, should the service have restarted in between: it then says so).
 */
public final class RunFollower {

    /** Three missed keep-alive comments (the server sends one after 15 s of silence). */
    static final Duration IDLE_TIMEOUT = Duration.ofSeconds(45);
    private static final Duration FIRST_RETRY = Duration.ofMillis(500);
    private static final Duration MAX_RETRY = Duration.ofSeconds(10);

    private final SnapciApi api;
    private final RunEventListener listener;
    private final Duration giveUpAfter;
    private final Set<String> phasesSeen = new HashSet<>();
    /** The id of the last event dispatched: where a new stream resumes. */
    private String lastEventId;

    public RunFollower(SnapciApi api, RunEventListener listener, Duration giveUpAfter) {
        this.api = api;
        this.listener = listener;
        this.giveUpAfter = giveUpAfter;
    }

    public RunStatus follow(String runId) throws InterruptedException {
        long lostSince = 0;
        Duration retry = FIRST_RETRY;
        while (true) {
            String why;
            try (InputStream in = api.events("v1/runs/" + runId + "/events", IDLE_TIMEOUT, lastEventId)) {
                lostSince = 0;
                retry = FIRST_RETRY;
                if (readUntilEnd(in)) {
                    return api.run(runId);
                }
                why = "the service closed the event stream";
            } catch (ApiFailure e) {
                if (e.status() != ApiFailure.NO_ANSWER && e.status() < 500 && e.status() != 429) {
                    throw e;
                }
                why = e.getMessage();
            } catch (IOException e) {
                why = "the event stream broke (" + e.getMessage() + ")";
            }
            long now = System.nanoTime();
            lostSince = lostSince == 0 ? now : lostSince;
            if (now - lostSince > giveUpAfter.toNanos()) {
                throw ApiFailure.noAnswer("lost run " + runId + "'s event stream and "
                        + "could not open it again for " + giveUpAfter.toSeconds() + " s: " + why,
                        "the run may still be going: snapci status " + runId);
            }
            listener.streamLost(why, retry);
            Thread.sleep(retry.toMillis());
            retry = retry.multipliedBy(2).compareTo(MAX_RETRY) > 0 ? MAX_RETRY : retry.multipliedBy(2);
        }
    }

    /** Dispatches events; true once the run's {@code end} came. */
    private boolean readUntilEnd(InputStream in) throws IOException {
        BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        String name = "message";
        String id = null;
        StringBuilder data = new StringBuilder();
        for (String line; (line = lines.readLine()) != null; ) {
            if (line.isEmpty()) {
                if (data.length() > 0) {
                    boolean end = dispatch(name, SnapciApi.JSON.readTree(data.toString()));
                    // Only an event dispatched whole moves the resume point: one cut off is sent again.
                    lastEventId = id != null ? id : lastEventId;
                    if (end) {
                        return true;
                    }
                }
                name = "message";
                id = null;
                data.setLength(0);
            } else if (line.startsWith("event:")) {
                name = line.substring(6).strip();
            } else if (line.startsWith("id:")) {
                id = line.substring(3).strip();
            } else if (line.startsWith("data:")) {
                data.append(data.length() > 0 ? "\n" : "").append(line.substring(5).stripLeading());
            }
            // ":" lines are keep-alive comments; "retry:" is not sent by snapci.
        }
        return false;
    }

    private boolean dispatch(String event, JsonNode data) {
        switch (event) {
            case "phase" -> {
                if (phasesSeen.add(data.path("phase").asText())) {
                    listener.phase(data.path("phase").asText(), data.path("message").asText(null));
                }
            }
            case "progress" -> listener.progress(data.path("note").asText());
            case "tests" -> listener.tests(data.path("summary").asText());
            case "log" -> listener.log("stderr".equals(data.path("stream").asText()), data.path("line").asText());
            case "end" -> {
                long dropped = data.path("droppedLogLines").asLong();
                if (dropped > 0) {
                    listener.progress(dropped + " lines of test output were not streamed (this client read too "
                            + "slowly); the whole output: snapci logs <run id>");
                }
                return true;
            }
            default -> {
                // "status" opens every stream; the phases that follow it say the same, one by one.
            }
        }
        return false;
    }
}
