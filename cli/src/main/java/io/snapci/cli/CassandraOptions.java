package io.snapci.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.snapci.model.CassandraSettings;
import picocli.CommandLine.Option;

import java.util.List;

/** {@code snapci run}'s options for the copy's Cassandra, the same for a run here and one on the service. */
final class CassandraOptions {

    @Option(names = "--heap", paramLabel = "SIZE", description = "Cassandra's heap (default: ${DEFAULT-VALUE}).",
            defaultValue = CassandraSettings.DEFAULT_HEAP)
    String heap;

    @Option(names = "--datacenter", paramLabel = "DC",
            description = "The datacenter name the copy's keyspaces replicate to (default: ${DEFAULT-VALUE}).",
            defaultValue = CassandraSettings.DEFAULT_DATACENTER)
    String datacenter;

    @Option(names = "--partitioner", paramLabel = "CLASS",
            description = "The source cluster's partitioner (default: Murmur3Partitioner).")
    String partitioner;

    @Option(names = "--cql-port", paramLabel = "PORT", description = "CQL port for the copy (default: a free one).")
    Integer cqlPort;

    @Option(names = "--no-fast-start",
            description = "Start the copy's Cassandra as a production node starts, without the fast start's "
                    + "shortcuts (docs/fast-start.md).")
    boolean noFastStart;

    @Option(names = "--cassandra-version", paramLabel = "LINE",
            description = "Boot this Cassandra release line (e.g. 5.0) instead of production's own, when production's"
                    + " cannot run here and this newer one reads its files. The run's record and output say so.")
    String version;

    /** For a run on this machine. */
    CassandraSettings settings() {
        return new CassandraSettings(heap, datacenter, null, partitioner, List.of(), cqlPort, !noFastStart, version);
    }

    /** For a run on the service: {@code cassandra} of the run spec (docs/api.md), with only what was given. */
    void writeTo(ObjectNode request) {
        ObjectNode cassandra = request.putObject("cassandra");
        cassandra.put("heap", heap);
        cassandra.put("datacenter", datacenter);
        if (partitioner != null) {
            cassandra.put("partitioner", partitioner);
        }
        if (cqlPort != null) {
            cassandra.put("cqlPort", cqlPort);
        }
        if (noFastStart) {
            cassandra.put("fastStart", false);
        }
        if (version != null) {
            cassandra.put("version", version);
        }
    }
}
