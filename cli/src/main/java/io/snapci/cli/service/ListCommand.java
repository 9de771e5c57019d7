package io.snapci.cli.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.snapci.cli.remote.SnapciApi;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** {@code snapci list}: the service's runs, newest first, filtered as {@code GET /v1/runs} filters them. */
@Command(name = "list", mixinStandardHelpOptions = true,
        description = "List runs on the snapci service, newest first.")
public final class ListCommand extends ApiCommand {

    @Option(names = "--state", paramLabel = "PHASE", split = ",",
            description = "Only runs in these phases, e.g. --state TESTING,QUEUED or --state failed.")
    List<String> states = new ArrayList<>();

    @Option(names = {"-l", "--label"}, paramLabel = "KEY[=VALUE]", description = "Only runs with this label (repeatable).")
    List<String> labels = new ArrayList<>();

    @Option(names = "--source", paramLabel = "DIR|VOLUME", description = "Only runs on this data directory or volume.")
    String source;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "20", description = "At most N runs (default ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--json", description = "The list as the API returns it.")
    boolean json;

    @Override
    int call(SnapciApi api, PrintStream out) {
        List<String> query = new ArrayList<>();
        query.add("limit=" + limit);
        if (!states.isEmpty()) {
            query.add("state=" + encode(String.join(",", states)));
        }
        labels.forEach(l -> query.add("label=" + encode(l)));
        if (source != null) {
            query.add("source=" + encode(source));
        }
        JsonNode answer = api.get("v1/runs?" + String.join("&", query));
        if (json) {
            out.println(answer.toPrettyString());
            return 0;
        }
        if (answer.path("count").asInt() == 0) {
            out.println("no runs");
            return 0;
        }
        Instant now = Instant.now();
        out.println(RunText.HEADER);
        answer.path("runs").forEach(run -> out.println(RunText.row(SnapciApi.toRun(run), now)));
        return 0;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
