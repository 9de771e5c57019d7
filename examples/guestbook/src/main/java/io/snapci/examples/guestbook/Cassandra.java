package io.snapci.examples.guestbook;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Where the guestbook's Cassandra is, from the environment: {@code CASSANDRA_HOST} (default 127.0.0.1),
 * {@code CASSANDRA_PORT} (default 9042) and {@code CASSANDRA_DC}, the local datacenter (default datacenter1).
 */
public record Cassandra(String host, int port, String datacenter) {

    /** CI's Cassandra nodes are small and slow: be patient with them. */
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    public static Cassandra fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    static Cassandra fromEnvironment(Map<String, String> env) {
        String host = env.getOrDefault("CASSANDRA_HOST", "127.0.0.1");
        String port = env.getOrDefault("CASSANDRA_PORT", "9042");
        String dc = env.getOrDefault("CASSANDRA_DC", "datacenter1");
        try {
            return new Cassandra(host, Integer.parseInt(port.strip()), dc);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("CASSANDRA_PORT must be a port number, not '" + port + "'", e);
        }
    }

    public CqlSession connect() {
        try {
            return CqlSession.builder()
                    .addContactPoint(new InetSocketAddress(host, port))
                    .withLocalDatacenter(datacenter)
                    .withConfigLoader(DriverConfigLoader.programmaticBuilder()
                            .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, TIMEOUT)
                            .withDuration(DefaultDriverOption.CONNECTION_CONNECT_TIMEOUT, TIMEOUT)
                            .withDuration(DefaultDriverOption.CONNECTION_INIT_QUERY_TIMEOUT, TIMEOUT)
                            .withDuration(DefaultDriverOption.CONTROL_CONNECTION_TIMEOUT, TIMEOUT)
                            .withDuration(DefaultDriverOption.METADATA_SCHEMA_REQUEST_TIMEOUT, TIMEOUT)
                            .withDuration(DefaultDriverOption.CONTROL_CONNECTION_AGREEMENT_TIMEOUT, TIMEOUT)
                            .build())
                    .build();
        } catch (RuntimeException e) {
            throw new IllegalStateException("Cannot connect to Cassandra at " + host + ":" + port + " (datacenter "
                    + datacenter + "; set CASSANDRA_HOST, CASSANDRA_PORT, CASSANDRA_DC): " + e.getMessage(), e);
        }
    }

    /** Applies {@code schema.cql} from the classpath: statements separated by ';', each one idempotent. */
    public static void applySchema(CqlSession session) {
        for (String statement : schemaStatements()) {
            session.execute(statement);
        }
    }

    static List<String> schemaStatements() {
        String schema;
        try (InputStream in = Cassandra.class.getResourceAsStream("/schema.cql")) {
            if (in == null) {
                throw new IllegalStateException("schema.cql is not on the classpath");
            }
            schema = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read schema.cql", e);
        }
        return Arrays.stream(schema.split(";"))
                .map(String::strip)
                .filter(statement -> !statement.isEmpty() && !commentsOnly(statement))
                .toList();
    }

    private static boolean commentsOnly(String text) {
        return text.lines().map(String::strip)
                .allMatch(line -> line.isEmpty() || line.startsWith("--") || line.startsWith("//"));
    }
}
