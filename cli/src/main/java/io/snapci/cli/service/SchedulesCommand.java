package io.snapci.cli.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.snapci.cli.remote.SnapciApi;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;

/** {@code snapci schedules list|create|delete}: when the service snapshots production volumes (cluster mode). */
@Command(name = "schedules", mixinStandardHelpOptions = true,
        description = "Snapshot schedules of the snapci service (in a cluster): when production volumes are snapshot.",
        subcommands = {SchedulesCommand.ListSchedules.class, SchedulesCommand.CreateSchedule.class,
                SchedulesCommand.DeleteSchedule.class})
public final class SchedulesCommand {

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List schedules and how they last ran.")
    static final class ListSchedules extends ListingCommand {

        ListSchedules() {
            super("v1/schedules", "schedules", "%-20s %-20s %-16s %-24s %-36s %s%n",
                    "NAME", "VOLUME", "WHEN", "LAST TICK", "LAST SNAPSHOT", "LAST ERROR");
        }

        @Override
        Object[] row(JsonNode entry) {
            JsonNode s = entry.path("schedule");
            String when = s.hasNonNull("cron") ? "cron " + s.path("cron").asText()
                    : "every " + s.path("interval").asText();
            return new Object[]{s.path("name").asText(), s.path("sourceVolume").asText(), when,
                    entry.path("lastTick").asText("-"), entry.path("lastSnapshot").asText("-"),
                    entry.path("lastError").asText("-")};
        }
    }

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Add a snapshot schedule.")
    static final class CreateSchedule extends ApiCommand {

        @Parameters(paramLabel = "NAME", description = "The schedule's name, e.g. nightly.")
        String name;

        @Option(names = "--volume", required = true, paramLabel = "VOLUME", description = "The production volume to snapshot.")
        String volume;

        @ArgGroup(multiplicity = "1")
        When when;

        static final class When {
            @Option(names = "--every", paramLabel = "DURATION", description = "Snapshot every DURATION, e.g. 1h.")
            String every;

            @Option(names = "--cron", paramLabel = "EXPR", description = "Snapshot on a cron expression (UTC), e.g. '0 3 * * *'.")
            String cron;
        }

        @Option(names = "--keep-last", paramLabel = "N", description = "Keep the last N snapshots.")
        Integer keepLast;

        @Option(names = "--max-age", paramLabel = "DURATION", description = "Delete snapshots older than this, e.g. 168h.")
        String maxAge;

        @Override
        int call(SnapciApi api, PrintStream out) {
            ObjectNode request = JsonNodeFactory.instance.objectNode().put("name", name).put("volume", volume);
            if (when.every != null) {
                request.put("every", when.every);
            } else {
                request.put("cron", when.cron);
            }
            if (keepLast != null) {
                request.put("keepLast", keepLast);
            }
            if (maxAge != null) {
                request.put("maxAge", maxAge);
            }
            api.post("v1/schedules", request);
            out.println("schedule " + name + " created: snapshots of " + volume + " "
                    + (when.every != null ? "every " + when.every : "on cron '" + when.cron + "' (UTC)"));
            return 0;
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true,
            description = "Delete a schedule. Its snapshots stay until deleted by hand or by the garbage collector's rules.")
    static final class DeleteSchedule extends ApiCommand {

        @Parameters(paramLabel = "NAME", description = "The schedule's name.")
        String name;

        @Override
        int call(SnapciApi api, PrintStream out) {
            api.delete("v1/schedules/" + java.net.URLEncoder.encode(name, java.nio.charset.StandardCharsets.UTF_8)
                    .replace("+", "%20"));
            out.println("schedule " + name + " deleted (its snapshots stay)");
            return 0;
        }
    }
}
