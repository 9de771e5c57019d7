package io.snapci.executor.testcmd;

import io.snapci.model.ExecutionListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TestCommandRunnerTest {

    @TempDir
    Path work;
    @TempDir
    Path logs;

    private final List<String> heard = new CopyOnWriteArrayList<>();
    private final ExecutionListener listener = new ExecutionListener() {
        @Override
        public void onTestOutput(String line, boolean stderr) {
            heard.add((stderr ? "err: " : "out: ") + line);
        }
    };
    private final TestCommandRunner runner = new TestCommandRunner();

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 7})
    void exitCodesPassThrough(int code) {
        TestCommandResult result = run("exit " + code);

        assertEquals(code, result.exitCode());
        assertFalse(result.timedOut());
        assertFalse(result.cancelled());
    }

    @Test
    void commandNotFoundIsReportedAsBashSaysIt() {
        assertEquals(127, run("no-such-command-snapci").exitCode());
    }

    @Test
    void outputReachesListenerAndLogsKeptApart() throws IOException {
        Instant before = Instant.now();

        TestCommandResult result = run("echo 'out one'; echo 'err one' >&2; echo 'out två'; printf 'last without newline'");

        assertEquals(0, result.exitCode());
        assertEquals(logs.resolve("tests.stdout.log"), result.stdoutLog());
        assertEquals(logs.resolve("tests.stderr.log"), result.stderrLog());
        assertEquals("out one\nout två\nlast without newline\n", Files.readString(result.stdoutLog()));
        assertEquals("err one\n", Files.readString(result.stderrLog()));
        assertEquals(List.of("out: out one", "out: out två", "out: last without newline"),
                heard.stream().filter(l -> l.startsWith("out: ")).toList());
        assertEquals(List.of("err: err one"), heard.stream().filter(l -> l.startsWith("err: ")).toList());
        assertFalse(result.startedAt().isBefore(before));
        assertTrue(result.took().compareTo(Duration.ZERO) > 0);
    }

    @Test
    void outputIsStreamedWhileTheCommandRuns() {
        // The listener must hear a line before the command ends: a CI log that shows nothing for 20 minutes is no use.
        AtomicBoolean heardBeforeEnd = new AtomicBoolean();
        ExecutionListener live = new ExecutionListener() {
            @Override
            public void onTestOutput(String line, boolean stderr) {
                heardBeforeEnd.set(!Files.exists(work.resolve("ended")));
            }
        };
        runner.run(command("echo first; sleep 1; touch ended", null), live);

        assertTrue(heardBeforeEnd.get());
    }

    @Test
    void environmentIsAddedAndWorkDirIsTheCurrentDirectory() throws IOException {
        TestCommandResult result = runner.run(new TestCommand("echo \"$SNAPCI_CQL_HOST:$SNAPCI_CQL_PORT\"; pwd; "
                + "test -n \"$PATH\" && echo inherited", work, Map.of("SNAPCI_CQL_HOST", "127.0.0.1",
                "SNAPCI_CQL_PORT", "19042"), null, logs), listener);

        assertEquals(0, result.exitCode());
        assertEquals(List.of("127.0.0.1:19042", work.toRealPath().toString(), "inherited"),
                Files.readAllLines(result.stdoutLog()));
    }

    @Test
    void stdinIsEmpty() {
        // A command that reads stdin (a prompt) must get EOF, not hang the run.
        assertEquals(0, runner.run(command("read -r answer; test -z \"$answer\"", Duration.ofSeconds(20)),
                listener).exitCode());
    }

    @Test
    void timeoutKillsTheCommandAndWhatItSpawned() throws Exception {
        long start = System.nanoTime();

        TestCommandResult result = runner.run(command("echo $$ > shell.pid; sleep 60 & echo $! > child.pid; sleep 60",
                Duration.ofSeconds(2)), listener);

        assertTrue(result.timedOut());
        assertFalse(result.cancelled());
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(15), "killed promptly");
        assertNotRunning(pid("shell.pid"));
        assertNotRunning(pid("child.pid"));
    }

    @Test
    void aTreeThatIgnoresSigtermIsKilledAnyway() throws Exception {
        // trap '' TERM is inherited by sleep: both ignore SIGTERM, so only the forced kill ends them.
        TestCommandResult result = runner.run(command("trap '' TERM; sleep 60 & echo $! > child.pid; sleep 60",
                Duration.ofSeconds(1)), listener);

        assertTrue(result.timedOut());
        assertTrue(result.took().compareTo(TestCommandRunner.KILL_GRACE) >= 0);
        assertTrue(result.took().compareTo(TestCommandRunner.KILL_GRACE.plusSeconds(10)) < 0);
        assertNotRunning(pid("child.pid"));
    }

    @Test
    void cancelFromAnotherThreadKillsTheTree() throws Exception {
        CompletableFuture<TestCommandResult> running = CompletableFuture.supplyAsync(() -> runner.run(
                command("sleep 60 & echo $! > child.pid; touch started; sleep 60", null), listener));
        awaitFile(work.resolve("started"));
        long start = System.nanoTime();

        runner.cancel();
        TestCommandResult result = running.get(20, TimeUnit.SECONDS);

        assertTrue(result.cancelled());
        assertFalse(result.timedOut());
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10));
        assertNotRunning(pid("child.pid"));
    }

    @Test
    void cancelBeforeRunStartsNothing() {
        runner.cancel();

        TestCommandResult result = run("touch ran");

        assertTrue(result.cancelled());
        assertEquals(-1, result.exitCode());
        assertFalse(Files.exists(work.resolve("ran")));
    }

    @Test
    void interruptingTheCallerCancelsAndKeepsTheInterrupt() throws Exception {
        AtomicReference<TestCommandResult> result = new AtomicReference<>();
        AtomicBoolean stillInterrupted = new AtomicBoolean();
        Thread caller = new Thread(() -> {
            result.set(runner.run(command("sleep 60 & echo $! > child.pid; touch started; sleep 60", null), listener));
            stillInterrupted.set(Thread.currentThread().isInterrupted());
        });
        caller.start();
        awaitFile(work.resolve("started"));

        caller.interrupt();
        caller.join(20_000);

        assertFalse(caller.isAlive());
        assertTrue(result.get().cancelled());
        assertTrue(stillInterrupted.get());
        assertNotRunning(pid("child.pid"));
    }

    @Test
    void backgroundProcessesLeftBehindAreStopped() throws Exception {
        // bash exits 0 but leaves a server running: it must not outlive the run (it would hold ports and pipes).
        TestCommandResult result = run("sleep 60 & echo $! > bg.pid; sleep 2.5; echo done");

        assertEquals(0, result.exitCode());
        assertNotRunning(pid("bg.pid"));
        assertTrue(heard.stream().anyMatch(l -> l.startsWith("err: [snapci] stopping 1 process(es)")), heard::toString);
    }

    @Test
    void logDirIsCreated() {
        Path nested = logs.resolve("run-1/tests");

        TestCommandResult result = runner.run(new TestCommand("echo hi", work, Map.of(), null, nested), listener);

        assertEquals(nested.resolve("tests.stdout.log"), result.stdoutLog());
        assertTrue(Files.exists(result.stdoutLog()));
    }

    private TestCommandResult run(String command) {
        return runner.run(command(command, Duration.ofSeconds(30)), listener);
    }

    private TestCommand command(String command, Duration timeout) {
        return new TestCommand(command, work, Map.of(), timeout, logs);
    }

    private long pid(String file) throws IOException {
        return Long.parseLong(Files.readString(work.resolve(file), StandardCharsets.UTF_8).strip());
    }

    private static void assertNotRunning(long pid) {
        ProcessHandle.of(pid).ifPresent(p -> assertFalse(ProcessTree.isRunning(p), "process " + pid + " survived"));
    }

    private static void awaitFile(Path file) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!Files.exists(file) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(Files.exists(file), file + " never appeared");
    }
}
