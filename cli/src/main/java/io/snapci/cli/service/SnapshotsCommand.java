package io.snapci.cli.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.snapci.cli.remote.SnapciApi;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;

/** {@code snapci snapshots list|create}: the Portworx snapshots the service took (cluster mode). */
@Command(name = "snapshots", mixinStandardHelpOptions = true,
        description = "The Portworx snapshots of production the snapci service took (in a cluster).",
        subcommands = {SnapshotsCommand.ListSnapshots.class, SnapshotsCommand.CreateSnapshot.class})
public final class SnapshotsCommand {

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List snapshots, newest first.")
    static final class ListSnapshots extends ListingCommand {

        ListSnapshots() {
            super("v1/snapshots", "snapshots", "%-40s %-20s %-14s %-24s %s%n",
                    "NAME", "VOLUME", "SCHEDULE", "CREATED", "RUN");
        }

        @Override
        Object[] row(JsonNode s) {
            return new Object[]{s.path("name").asText(), s.path("sourceVolume").asText(),
                    s.path("schedule").asText("-"), s.path("createdAt").asText("-"), s.path("run").asText("-")};
        }
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Take a schedule's snapshot now (fresh data for the runs about to start), under its retention.")
    static final class CreateSnapshot extends ApiCommand {

        @Option(names = "--schedule", required = true, paramLabel = "NAME", description = "The schedule (snapci schedules list).")
        String schedule;

        @Override
        int call(SnapciApi api, PrintStream out) {
            JsonNode taken = api.post("v1/snapshots", JsonNodeFactory.instance.objectNode().put("schedule", schedule));
            out.println("snapshot " + taken.path("snapshot").asText() + " taken for schedule " + schedule);
            return 0;
        }
    }
}
