package io.snapci.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/**
 * How the ephemeral Cassandra node is configured. The copy of production data must be read with the settings it
 * was written with: the partitioner, and the datacenter name its keyspaces replicate to.
 *
 * @param heap        the JVM heap for the node, e.g. "768m"; sized for CI, not for production
 * @param datacenter  the datacenter name the node reports; must be one the source keyspaces replicate into
 * @param rack        the rack name the node reports
 * @param partitioner the source cluster's partitioner class
 * @param jvmOptions  extra JVM options for the Cassandra process
 * @param cqlPort     the CQL port to listen on; {@code null} picks a free one (the usual choice)
 * @param fastStart   start a copy's node without what only a long-lived node needs (docs/fast-start.md);
 *                    {@code null} means on. Off boots it as a production node boots.
 * @param version     the Cassandra release line to boot, e.g. {@code 5.0}, when it is not production's own: a newer
 *                    one that reads production's files (production's own cannot run here). {@code null} (the
 *                    default): production's own, detected from its files, or the run is refused.
 */
public record CassandraSettings(String heap, String datacenter, String rack, String partitioner,
                                List<String> jvmOptions, Integer cqlPort, Boolean fastStart,
                                @JsonInclude(JsonInclude.Include.NON_NULL) String version) {

    public static final String DEFAULT_HEAP = "768m";
    public static final String DEFAULT_DATACENTER = "datacenter1";
    public static final String DEFAULT_RACK = "rack1";
    public static final String DEFAULT_PARTITIONER = "org.apache.cassandra.dht.Murmur3Partitioner";

    /** Settings with the fast start on (the default). */
    public CassandraSettings(String heap, String datacenter, String rack, String partitioner,
                             List<String> jvmOptions, Integer cqlPort) {
        this(heap, datacenter, rack, partitioner, jvmOptions, cqlPort, null, null);
    }

    /** Settings that boot production's own Cassandra version. */
    public CassandraSettings(String heap, String datacenter, String rack, String partitioner,
                             List<String> jvmOptions, Integer cqlPort, Boolean fastStart) {
        this(heap, datacenter, rack, partitioner, jvmOptions, cqlPort, fastStart, null);
    }

    public static CassandraSettings defaults() {
        return new CassandraSettings(null, null, null, null, null, null, null, null);
    }

    /** These settings with the fast start on or off. */
    public CassandraSettings withFastStart(boolean on) {
        return new CassandraSettings(heap, datacenter, rack, partitioner, jvmOptions, cqlPort, on, version);
    }

    /** These settings asking for another Cassandra release line than production's ({@code null}: its own). */
    public CassandraSettings withVersion(String line) {
        return new CassandraSettings(heap, datacenter, rack, partitioner, jvmOptions, cqlPort, fastStart, line);
    }

    @JsonCreator
    public CassandraSettings {
        heap = heap == null || heap.isBlank() ? DEFAULT_HEAP : heap;
        datacenter = datacenter == null || datacenter.isBlank() ? DEFAULT_DATACENTER : datacenter;
        rack = rack == null || rack.isBlank() ? DEFAULT_RACK : rack;
        partitioner = partitioner == null || partitioner.isBlank() ? DEFAULT_PARTITIONER : partitioner;
        jvmOptions = jvmOptions == null ? List.of() : List.copyOf(jvmOptions);
        fastStart = fastStart == null ? Boolean.TRUE : fastStart;
        if (!heap.matches("\\d+[kKmMgG]")) {
            throw new IllegalArgumentException("cassandra.heap must look like 768m or 1g, got '" + heap + "'");
        }
        version = version == null || version.isBlank() ? null : version.strip();
        if (version != null && !version.matches("\\d{1,2}\\.\\d{1,2}(\\.\\d{1,3})?")) {
            throw new IllegalArgumentException("cassandra.version must be a release line like 5.0 (or a release like"
                    + " 5.0.6), got '" + version + "'");
        }
        if (cqlPort != null && (cqlPort < 1 || cqlPort > 65535)) {
            throw new IllegalArgumentException("cassandra.cqlPort must be between 1 and 65535, got " + cqlPort);
        }
    }
}
