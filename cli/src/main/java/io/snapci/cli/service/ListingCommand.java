package io.snapci.cli.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.snapci.cli.remote.SnapciApi;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.util.List;

/**
 * A {@code list} subcommand: one of the service's collections as a table, a line saying there is none, or with
 * {@code --json} as the API returns it.
 */
abstract class ListingCommand extends ApiCommand {

    @Option(names = "--json", description = "As the API returns them.")
    boolean json;

    private final String path;
    private final String collection;
    private final String format;
    private final List<String> header;

    /** The array {@code collection} of {@code GET path}, one {@code format}ted line an item under {@code header}. */
    ListingCommand(String path, String collection, String format, String... header) {
        this.path = path;
        this.collection = collection;
        this.format = format;
        this.header = List.of(header);
    }

    @Override
    final int call(SnapciApi api, PrintStream out) {
        JsonNode answer = api.get(path());
        if (json) {
            out.println(answer.toPrettyString());
            return 0;
        }
        JsonNode items = answer.path(collection);
        if (items.isEmpty()) {
            out.println("no " + collection);
            return 0;
        }
        out.printf(format, header.toArray());
        for (JsonNode item : items) {
            out.printf(format, row(item));
        }
        return 0;
    }

    /** What to GET: the collection's path, with a command's query parameters if it has any. */
    String path() {
        return path;
    }

    /** One item's cells, in the header's order. */
    abstract Object[] row(JsonNode item);
}
