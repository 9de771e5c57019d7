package io.snapci.executor.testcmd;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Kills a process and everything it started. Test commands spawn build daemons, forked test JVMs and background
 * servers; killing only bash would orphan them, still holding our output pipes and the Cassandra copy's ports.
 */
final class ProcessTree {

    private static final long POLL_MILLIS = 50;

    private ProcessTree() {
    }

    /** The process and its current descendants, children before the process so nothing is orphaned unseen. */
    static Set<ProcessHandle> snapshot(ProcessHandle root) {
        Set<ProcessHandle> all = new LinkedHashSet<>();
        root.descendants().forEach(all::add);
        all.add(root);
        return all;
    }

    /** Asks politely (SIGTERM) so that test JVMs can run shutdown hooks and flush their reports. */
    static void terminate(Collection<ProcessHandle> processes) {
        processes.forEach(ProcessHandle::destroy);
    }

    /**
     * SIGTERM to every process in {@code roots} and all their descendants (roots may include processes seen earlier
     * that have been orphaned since), waits up to {@code grace}, then SIGKILL to whatever is still running,
     * including anything forked meanwhile. Never throws InterruptedException: an interrupt is remembered and
     * restored, the kill goes on.
     */
    static void kill(Collection<ProcessHandle> roots, Duration grace) {
        Set<ProcessHandle> targets = new LinkedHashSet<>();
        roots.forEach(root -> targets.addAll(snapshot(root)));
        terminate(targets);
        boolean interrupted = false;
        long deadline = System.nanoTime() + grace.toNanos();
        while (anyRunning(targets) && System.nanoTime() < deadline) {
            interrupted |= pause();
        }
        // Dying processes may have forked (cleanup scripts, shutdown hooks): look again before the hard kill.
        targets.addAll(liveDescendants(targets));
        for (ProcessHandle process : targets) {
            if (isRunning(process)) {
                process.destroyForcibly();
            }
        }
        // SIGKILL cannot be refused, but delivery is asynchronous: wait briefly so callers see a dead tree.
        long killDeadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        while (anyRunning(targets) && System.nanoTime() < killDeadline) {
            interrupted |= pause();
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    static boolean anyRunning(Collection<ProcessHandle> processes) {
        return processes.stream().anyMatch(ProcessTree::isRunning);
    }

    /**
     * Alive and not a zombie. Java counts zombies as alive, and in a container whose init does not reap orphans
     * promptly a killed grandchild stays a zombie for a while; it holds no resources, so it counts as gone.
     */
    static boolean isRunning(ProcessHandle process) {
        if (!process.isAlive()) {
            return false;
        }
        Path stat = Path.of("/proc", Long.toString(process.pid()), "stat");
        try {
            String text = Files.readString(stat);
            int afterName = text.lastIndexOf(')');
            return afterName < 0 || afterName + 2 >= text.length() || text.charAt(afterName + 2) != 'Z';
        } catch (IOException | RuntimeException e) {
            return process.isAlive(); // no /proc (macOS) or it just exited: trust the JDK
        }
    }

    private static Set<ProcessHandle> liveDescendants(Collection<ProcessHandle> processes) {
        Set<ProcessHandle> found = new LinkedHashSet<>();
        for (ProcessHandle process : processes) {
            if (process.isAlive()) {
                process.descendants().forEach(found::add);
            }
        }
        return found;
    }

    /** Sleeps one poll interval; returns whether it was interrupted. */
    private static boolean pause() {
        try {
            Thread.sleep(POLL_MILLIS);
            return false;
        } catch (InterruptedException e) {
            return true;
        }
    }
}
