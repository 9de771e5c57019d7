package io.snapci.tests.support;

import io.snapci.executor.cassandra.CassandraRuntime;

import java.nio.file.Path;

/** Where the parts of a built snapci are, for tests: the Cassandra jars and the repository root. */
public final class Snapci {

    private Snapci() {
    }

    public static CassandraRuntime cassandraRuntime() {
        CassandraRuntime runtime = CassandraRuntime.locate();
        runtime.verify();
        return runtime;
    }

    public static Path repoRoot() {
        return Path.of(System.getProperty("snapci.repo.root", "..")).toAbsolutePath().normalize();
    }

    /** The classpath of this test JVM, for test commands that are small Java programs of this module. */
    public static String testClasspath() {
        return System.getProperty("java.class.path");
    }

    public static String javaBinary() {
        return ProcessHandle.current().info().command().orElse("java");
    }
}
