package io.snapci.executor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Finds and kills the processes of a run after the JVM that started them died (kill -9, a crash, a reboot of the
 * CLI's machine session). Every process a run starts carries a tag in its environment — the test command and its
 * children inherit {@code SNAPCI_RUN_ID=<id>}, Cassandra has {@code SNAPCI_CLUSTER=snapci-<id>} — and the
 * environment survives re-parenting, so {@code /proc/<pid>/environ} finds them (Linux).
 */
public final class RunProcesses {

    public static final String RUN_ID_VARIABLE = "SNAPCI_RUN_ID";
    public static final String CLUSTER_VARIABLE = "SNAPCI_CLUSTER";

    private final Path proc;

    public RunProcesses() {
        this(Path.of("/proc"));
    }

    RunProcesses(Path proc) {
        this.proc = proc;
    }

    /** The pids of live processes tagged with the run, other than this JVM. */
    public List<Long> find(String runId) {
        byte[] runTag = (RUN_ID_VARIABLE + "=" + runId).getBytes(StandardCharsets.UTF_8);
        byte[] clusterTag = (CLUSTER_VARIABLE + "=snapci-" + runId).getBytes(StandardCharsets.UTF_8);
        List<Long> pids = new ArrayList<>();
        if (!Files.isDirectory(proc)) {
            return pids;
        }
        try (Stream<Path> entries = Files.list(proc)) {
            for (Path entry : entries.toList()) {
                pid(entry).filter(pid -> pid != ProcessHandle.current().pid())
                        .filter(pid -> hasVariable(entry.resolve("environ"), runTag, clusterTag))
                        .ifPresent(pids::add);
            }
        } catch (IOException e) {
            return pids;
        }
        return pids;
    }

    /** Kills every process of the run (SIGKILL: they are orphans of a dead run); returns how many. */
    public int kill(String runId) {
        int killed = 0;
        for (long pid : find(runId)) {
            Optional<ProcessHandle> handle = ProcessHandle.of(pid);
            if (handle.isPresent() && handle.get().destroyForcibly()) {
                killed++;
            }
        }
        return killed;
    }

    private static Optional<Long> pid(Path entry) {
        String name = entry.getFileName().toString();
        return name.chars().allMatch(Character::isDigit) ? Optional.of(Long.parseLong(name)) : Optional.empty();
    }

    private static boolean hasVariable(Path environ, byte[]... tags) {
        byte[] env;
        try {
            env = Files.readAllBytes(environ);
        } catch (IOException | SecurityException e) {
            return false;  // gone, or not ours to read
        }
        int start = 0;
        for (int i = 0; i <= env.length; i++) {
            if (i == env.length || env[i] == 0) {
                for (byte[] tag : tags) {
                    if (i - start == tag.length && java.util.Arrays.equals(env, start, i, tag, 0, tag.length)) {
                        return true;
                    }
                }
                start = i + 1;
            }
        }
        return false;
    }
}
