package io.snapci.executor.cassandra;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Where the Cassandra server comes from in local mode: a directory of jars (cassandra-all and its runtime
 * dependencies, laid out by the cassandra-runtime module) and the java binary that runs them.
 *
 * @param libDir    directory holding cassandra-all-*.jar and its dependencies
 * @param javaBinary the java executable that starts the server JVM
 * @param classArchives where this runtime's class-data archives are kept ({@link ClassArchive}); null: none used
 */
public record CassandraRuntime(Path libDir, Path javaBinary, Path classArchives) {

    public CassandraRuntime(Path libDir, Path javaBinary) {
        this(libDir, javaBinary, null);
    }

    /** This runtime, keeping its class-data archives in {@code dir} (a work root's {@code class-archives}). */
    public CassandraRuntime withClassArchives(Path dir) {
        return new CassandraRuntime(libDir, javaBinary, dir == null ? null : dir.toAbsolutePath());
    }

    public static final String LIB_PROPERTY = "snapci.cassandra.lib";
    public static final String LIB_ENV = "SNAPCI_CASSANDRA_LIB";

    /** Finds the jars from the system property or environment variable, and this JVM's own java binary. */
    public static CassandraRuntime locate() {
        String configured = System.getProperty(LIB_PROPERTY, System.getenv(LIB_ENV));
        if (configured == null || configured.isBlank()) {
            throw new IllegalStateException("Cassandra's jars are not configured: set " + LIB_ENV
                    + " (or -D" + LIB_PROPERTY + ") to a directory holding cassandra-all and its dependencies; "
                    + "`mvn -q package -pl cassandra-runtime -am` lays them out in cassandra-runtime/target/cassandra-lib");
        }
        return locate(configured);
    }

    /** The jars in {@code libDir}, run by this JVM's own java binary. */
    public static CassandraRuntime locate(String libDir) {
        return new CassandraRuntime(Path.of(libDir).toAbsolutePath(), currentJava());
    }

    static Path currentJava() {
        return ProcessHandle.current().info().command().map(Path::of)
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java"));
    }

    /** Fails with a message that says what to do when the jars are not where they should be. */
    public void verify() {
        boolean hasServer;
        try (Stream<Path> jars = Files.list(libDir)) {
            // cassandra-all-<v>.jar from Maven Central; apache-cassandra-<v>.jar in a tarball or the official image
            hasServer = jars.anyMatch(p -> p.getFileName().toString().startsWith("cassandra-all-")
                    || p.getFileName().toString().matches("apache-cassandra-\\d.*\\.jar"));
        } catch (IOException e) {
            hasServer = false;
        }
        if (!hasServer) {
            throw new IllegalStateException("No cassandra-all jar in " + libDir + ": build it with "
                    + "`mvn -q package -pl cassandra-runtime -am` or point " + LIB_ENV + " at the right directory");
        }
    }

    /**
     * The Cassandra release these jars are, from the server jar's name ({@code cassandra-all-5.0.6.jar},
     * {@code apache-cassandra-5.0.6.jar}).
     */
    public String release() {
        try (Stream<Path> jars = Files.list(libDir)) {
            return jars.map(p -> p.getFileName().toString())
                    .map(n -> java.util.regex.Pattern.compile("(?:cassandra-all|apache-cassandra)-(\\d+\\.\\d+\\.\\d+)"
                            + "[^/]*\\.jar").matcher(n))
                    .filter(java.util.regex.Matcher::matches).map(m -> m.group(1)).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no cassandra-all jar in " + libDir));
        } catch (IOException e) {
            throw new IllegalStateException("cannot list " + libDir + ": " + e.getMessage(), e);
        }
    }

    /** The classpath with a wildcard, so the command line stays short. */
    public String classpath() {
        return libDir.resolve("*").toString();
    }
}
