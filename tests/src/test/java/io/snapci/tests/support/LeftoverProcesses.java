package io.snapci.tests.support;

import java.nio.file.Path;
import java.util.List;

/** Finds processes still running whose command line mentions a path: what a run must not leave behind. */
public final class LeftoverProcesses {

    private LeftoverProcesses() {
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

    /** Children of this JVM still alive (Cassandra, test commands). */
    public static List<String> childrenOfThisJvm() {
        return ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)
                .map(p -> p.pid() + " " + p.info().commandLine().orElse("")).toList();
    }
}
