package io.snapci.cli.service;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code snapci audit [--source S] [--since T] [--who W] [--limit N]}: the service's audit log (GET /v1/audit),
 * oldest first. The service checks the values (a bad --since is its 400, shown with its message).
 */
@Command(name = "audit", mixinStandardHelpOptions = true,
        description = "Who submitted, cancelled or deleted which run or snapshot, and how runs ended (the service's "
                + "audit log), oldest first.")
public final class AuditCommand extends ListingCommand {

    @Option(names = "--source", paramLabel = "S", description = "Only entries about this volume or data directory.")
    String source;

    @Option(names = "--since", paramLabel = "T", description = "Only entries at or after this instant "
            + "(ISO-8601, e.g. 2026-11-25T06:00:00Z).")
    String since;

    @Option(names = "--who", paramLabel = "W", description = "Only entries by this identity (token#1, uid:alice).")
    String who;

    @Option(names = "--limit", paramLabel = "N", description = "At most N entries, the most recent (default 100).")
    Integer limit;

    public AuditCommand() {
        super("v1/audit", "entries", "%-24s %-16s %-15s %-24s %-10s %s%n",
                "AT", "WHO", "ACTION", "RUN", "OUTCOME", "SOURCES");
    }

    @Override
    String path() {
        List<String> query = new ArrayList<>();
        add(query, "source", source);
        add(query, "since", since);
        add(query, "who", who);
        add(query, "limit", limit == null ? null : limit.toString());
        return query.isEmpty() ? "v1/audit" : "v1/audit?" + String.join("&", query);
    }

    private static void add(List<String> query, String name, String value) {
        if (value != null) {
            query.add(name + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8));
        }
    }

    @Override
    Object[] row(JsonNode e) {
        List<String> sources = new ArrayList<>();
        e.path("sources").forEach(s -> sources.add(s.asText()));
        return new Object[]{e.path("at").asText(), e.path("who").asText(), e.path("action").asText(),
                e.path("runId").asText("-"), e.path("outcome").asText("-"),
                sources.isEmpty() ? "-" : String.join(",", sources)};
    }
}
