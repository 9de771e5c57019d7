package io.snapci.executor.testcmd;

import io.snapci.model.ExecutionListener;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Runs the user's test command with {@code bash -c}, streams its output, and makes sure that when {@link #run}
 * returns, for whatever reason (exit, timeout, {@link #cancel}, interrupt), no process of the command is left.
 * One runner runs one command at a time; {@link #cancel} may be called from any thread.
 */
public final class TestCommandRunner {

    /** Time between SIGTERM and SIGKILL: enough for a JVM's shutdown hooks, short enough not to stall a run. */
    static final Duration KILL_GRACE = Duration.ofSeconds(5);
    /** How long to wait for the output threads once the command is gone (they only drain what is buffered). */
    private static final long DRAIN_MILLIS = 5_000;
    private static final long POLL_MILLIS = 100;
    /**
     * How often the process tree is recorded while the command runs. A process whose parent exits is re-parented
     * and no longer a descendant; remembering it is how it still gets killed at the end.
     */
    private static final long SNAPSHOT_MILLIS = 1_000;

    private final Object lock = new Object();
    private boolean cancelled;
    private Process process;

    /**
     * Fails fast, before any expensive work, when the command cannot possibly run: the work dir is missing, the
     * command is blank, or its first word is neither a file nor anything bash finds (PATH from {@code env} if it
     * sets one). Builtins and keywords ({@code cd}, {@code if}, {@code (}, ...) pass.
     */
    public static void preflight(String command, Path workDir, Map<String, String> env)
            throws TestCommandException {
        Preflight.check(command, workDir, env);
    }

    /** Runs the command to its end, its timeout, or a cancel. Never throws for what the command does. */
    public TestCommandResult run(TestCommand cmd, ExecutionListener listener) {
        Instant startedAt = Instant.now();
        long startNanos = System.nanoTime();
        Process started;
        synchronized (lock) {
            if (cancelled) {
                return new TestCommandResult(-1, false, true, startedAt, Duration.ZERO, cmd.stdoutLog(),
                        cmd.stderrLog());
            }
            try {
                started = start(cmd);
            } catch (IOException e) {
                return cannotStart(cmd, listener, e, startedAt);
            }
            process = started;
        }
        try {
            return supervise(cmd, listener, started, startedAt, startNanos);
        } finally {
            synchronized (lock) {
                process = null;
            }
        }
    }

    /**
     * Kills the running command's process tree and makes {@link #run} return with {@code cancelled=true}; before
     * {@code run}, makes it return at once without starting anything. Returns without waiting for the kill:
     * SIGTERM is sent here, the thread in {@code run} escalates to SIGKILL if needed.
     */
    public void cancel() {
        Process current;
        synchronized (lock) {
            cancelled = true;
            current = process;
        }
        if (current != null) {
            ProcessTree.terminate(ProcessTree.snapshot(current.toHandle()));
        }
    }

    private boolean isCancelled() {
        synchronized (lock) {
            return cancelled;
        }
    }

    private static Process start(TestCommand cmd) throws IOException {
        Files.createDirectories(cmd.logDir());
        ProcessBuilder builder = new ProcessBuilder(List.of("bash", "-c", cmd.command()))
                .directory(cmd.workDir().toFile())
                // No stdin: a command that asks a question must get EOF in CI, not wait for ever.
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().putAll(cmd.env());
        return builder.start();
    }

    private TestCommandResult supervise(TestCommand cmd, ExecutionListener listener, Process started,
                                        Instant startedAt, long startNanos) {
        OutputPump.Started out;
        OutputPump.Started err;
        try {
            out = OutputPump.start(started.getInputStream(), cmd.stdoutLog(), listener, false);
        } catch (IOException e) {
            ProcessTree.kill(List.of(started.toHandle()), KILL_GRACE);
            return cannotStart(cmd, listener, e, startedAt);
        }
        try {
            err = OutputPump.start(started.getErrorStream(), cmd.stderrLog(), listener, true);
        } catch (IOException e) {
            ProcessTree.kill(List.of(started.toHandle()), KILL_GRACE);
            joinQuietly(out.thread());
            return cannotStart(cmd, listener, e, startedAt);
        }

        Set<ProcessHandle> seen = new HashSet<>();
        Ending ending = await(cmd, started, startNanos, seen);
        if (ending != Ending.EXITED) {
            List<ProcessHandle> tree = new ArrayList<>(seen);
            tree.add(started.toHandle());
            ProcessTree.kill(tree, KILL_GRACE);
        } else {
            killLeftovers(seen, err.pump());
        }
        // Clean-up below must finish even on an interrupted thread; the interrupt is restored afterwards.
        boolean interrupted = Thread.interrupted() || ending == Ending.INTERRUPTED;
        int exitCode = exitCode(started);
        joinQuietly(out.thread());
        joinQuietly(err.thread());
        if (interrupted || Thread.interrupted()) {
            Thread.currentThread().interrupt();
        }
        return new TestCommandResult(exitCode, ending == Ending.TIMED_OUT,
                ending == Ending.CANCELLED || ending == Ending.INTERRUPTED, startedAt,
                Duration.ofNanos(System.nanoTime() - startNanos), cmd.stdoutLog(), cmd.stderrLog());
    }

    private enum Ending { EXITED, TIMED_OUT, CANCELLED, INTERRUPTED }

    /** Waits in short slices so a cancel or the timeout is noticed promptly, recording the tree as it goes. */
    private Ending await(TestCommand cmd, Process started, long startNanos, Set<ProcessHandle> seen) {
        long deadline = cmd.hasTimeout() ? startNanos + cmd.timeout().toNanos() : Long.MAX_VALUE;
        long nextSnapshot = System.nanoTime();
        try {
            while (true) {
                if (isCancelled()) {
                    return Ending.CANCELLED;
                }
                long now = System.nanoTime();
                if (now - deadline >= 0 && cmd.hasTimeout()) {
                    return Ending.TIMED_OUT;
                }
                if (now - nextSnapshot >= 0) {
                    started.descendants().forEach(seen::add);
                    nextSnapshot = now + TimeUnit.MILLISECONDS.toNanos(SNAPSHOT_MILLIS);
                }
                if (started.waitFor(POLL_MILLIS, TimeUnit.MILLISECONDS)) {
                    // A cancel that raced with the exit still counts: the caller asked for it.
                    return isCancelled() ? Ending.CANCELLED : Ending.EXITED;
                }
            }
        } catch (InterruptedException e) {
            // The caller's thread is being stopped: treat it as a cancel so no process outlives it.
            synchronized (lock) {
                cancelled = true;
            }
            return Ending.INTERRUPTED;
        }
    }

    /**
     * bash exited, but something it started in the background may still run (a server, a daemon). It was our
     * command's, it may hold the copy's ports or our pipes: stop it too, and say so.
     */
    private static void killLeftovers(Set<ProcessHandle> seen, OutputPump stderr) {
        List<ProcessHandle> leftovers = seen.stream().filter(ProcessTree::isRunning).toList();
        if (leftovers.isEmpty()) {
            return;
        }
        stderr.line("[snapci] stopping " + leftovers.size() + " process(es) the test command left running: "
                + leftovers.stream().map(p -> p.pid() + " " + p.info().command().orElse("?")).toList(), true);
        ProcessTree.kill(leftovers, KILL_GRACE);
    }

    private static int exitCode(Process process) {
        try {
            // The tree is dead or dying after a kill; waitFor only collects the status.
            process.waitFor(KILL_GRACE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return process.isAlive() ? -1 : process.exitValue();
    }

    /** Bounded: a process that escaped the kill (it made itself a new session) may hold the pipe for ever. */
    private static void joinQuietly(Thread thread) {
        try {
            thread.join(DRAIN_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** bash itself could not start (or the logs cannot be written): reported like bash's "cannot execute". */
    private static TestCommandResult cannotStart(TestCommand cmd, ExecutionListener listener, IOException e,
                                                 Instant startedAt) {
        String message = "[snapci] could not start the test command: " + e.getMessage();
        try {
            Files.createDirectories(cmd.logDir());
            Files.writeString(cmd.stderrLog(), message + "\n", StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException ignored) {
            // the listener still hears it
        }
        listener.onTestOutput(message, true);
        return new TestCommandResult(126, false, false, startedAt, Duration.ZERO, cmd.stdoutLog(), cmd.stderrLog());
    }
}
