package io.snapci.cli.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.snapci.cli.remote.SnapciApi;
import io.snapci.cli.remote.UsageException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code snapci list}: the service's runs, newest first, filtered as {@code GET /v1/runs} filters them. The API
 * answers a page at a time (at most {@value #API_PAGE} runs); the command follows the pages' {@code next} cursors
 * until it has {@code --limit} runs or there are no more.
 */
@Command(name = "list", mixinStandardHelpOptions = true,
        description = "List runs on the snapci service, newest first.")
public final class ListCommand extends ApiCommand {

    /** The largest page {@code GET /v1/runs} answers (its {@code limit} at most). */
    static final int API_PAGE = 1000;

    @Option(names = "--state", paramLabel = "PHASE", split = ",",
            description = "Only runs in these phases, e.g. --state TESTING,QUEUED or --state failed.")
    List<String> states = new ArrayList<>();

    @Option(names = {"-l", "--label"}, paramLabel = "KEY[=VALUE]", description = "Only runs with this label (repeatable).")
    List<String> labels = new ArrayList<>();

    @Option(names = "--source", paramLabel = "DIR|VOLUME", description = "Only runs on this data directory or volume.")
    String source;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "20",
            description = "At most N runs (default ${DEFAULT-VALUE}); more than " + API_PAGE + " are fetched page by page.")
    int limit;

    @Option(names = "--json", description = "The list as the API returns it.")
    boolean json;

    @Override
    int call(SnapciApi api, PrintStream out) {
        if (limit < 1) {
            throw new UsageException("--limit must be at least 1, got " + limit, "leave it out for the newest 20 runs");
        }
        ObjectNode answer = fetch(api);
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

    /** Up to {@code --limit} runs, one page after another, as one answer shaped like a page: count, runs, next. */
    private ObjectNode fetch(SnapciApi api) {
        List<String> filters = new ArrayList<>();
        if (!states.isEmpty()) {
            filters.add("state=" + encode(String.join(",", states)));
        }
        labels.forEach(l -> filters.add("label=" + encode(l)));
        if (source != null) {
            filters.add("source=" + encode(source));
        }
        ArrayNode runs = JsonNodeFactory.instance.arrayNode();
        String next = null;
        do {
            List<String> query = new ArrayList<>(filters);
            query.add("limit=" + Math.min(API_PAGE, limit - runs.size()));
            if (next != null) {
                query.add("after=" + encode(next));
            }
            JsonNode page = api.get("v1/runs?" + String.join("&", query));
            page.path("runs").forEach(runs::add);
            next = page.path("next").isTextual() ? page.path("next").asText() : null;
        } while (next != null && runs.size() < limit);
        ObjectNode answer = JsonNodeFactory.instance.objectNode();
        answer.put("count", runs.size());
        answer.set("runs", runs);
        if (next != null) {
            answer.put("next", next);
        }
        return answer;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
