package io.snapci.tests.support;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Finds processes still running whose command line mentions a path: what a run must not leave behind. */
public final class LeftoverProcesses {

    /**
     * Directories of fixtures that outlive one test class on purpose (the suite's shared production cluster): their
     * processes are the test's own, not something snapci left behind.
     */
    private static final Set<String> SHARED_FIXTURES = ConcurrentHashMap.newKeySet();

    private LeftoverProcesses() {
    }

    /** Registers a fixture whose processes run for the whole JVM: every such process mentions {@code home}. */
    public static void sharedFixture(Path home) {
        SHARED_FIXTURES.add(home.toAbsolutePath().toString());
    }

    public static List<String> mentioning(Path path) {
        return mentioning(path.toAbsolutePath().toString());
    }

    public static List<String> mentioning(String needle) {
        return ProcessHandle.allProcesses()
                .filter(ProcessHandle::isAlive)
                .filter(p -> p.pid() != ProcessHandle.current().pid())
                .map(p -> p.pid() + " " + p.info().commandLine().orElse(""))
                .filter(line -> line.contains(needle))
                .toList();
    }

    /** Children of this JVM still alive (Cassandra, test commands), but for the shared fixtures' own processes. */
    public static List<String> childrenOfThisJvm() {
        return ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)
                .map(p -> p.pid() + " " + p.info().commandLine().orElse(""))
                .filter(line -> SHARED_FIXTURES.stream().noneMatch(line::contains))
                .toList();
    }
}
