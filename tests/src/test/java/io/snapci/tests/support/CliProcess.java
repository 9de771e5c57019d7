package io.snapci.tests.support;

import io.snapci.executor.cassandra.CassandraRuntime;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The snapci CLI in its own JVM, as a CI job runs it: real arguments, real exit code, real signals. */
public final class CliProcess {

    private final Process process;
    private final StringBuffer output = new StringBuffer();
    private final Thread reader;

    private CliProcess(Process process) {
        this.process = process;
        this.reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    output.append(line).append('\n');
                }
            } catch (IOException ignored) {
                // the process ended
            }
        });
        reader.start();
    }

    public static CliProcess start(Path workDir, String... args) throws IOException {
        return start(workDir, Map.of(), args);
    }

    /** With {@code env} changing the inherited environment (a null value removes the variable). */
    public static CliProcess start(Path workDir, Map<String, String> env, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Snapci.javaBinary(), "-cp", Snapci.testClasspath(),
                "-D" + CassandraRuntime.LIB_PROPERTY + "=" + Snapci.cassandraRuntime().libDir(),
                "io.snapci.cli.SnapciCli"));
        command.addAll(List.of(args));
        return start(new ProcessBuilder(command).directory(workDir.toFile()), env);
    }

    /** Any command (a CI job's script, a launcher) with the same handling: output kept, exit code, signals. */
    public static CliProcess start(ProcessBuilder builder, Map<String, String> env) throws IOException {
        env.forEach((name, value) -> {
            if (value == null) {
                builder.environment().remove(name);
            } else {
                builder.environment().put(name, value);
            }
        });
        return new CliProcess(builder.redirectErrorStream(true).start());
    }

    /**
     * The environment a CLI process gets in these tests: this machine's CI and snapci variables removed (so that a
     * test run inside a CI job is not mistaken for one), plus {@code extra}.
     */
    public static Map<String, String> scrubbedEnv(Map<String, String> extra) {
        Map<String, String> env = new HashMap<>();
        for (String name : System.getenv().keySet()) {
            if (name.startsWith("CI_") || name.startsWith("GITHUB_") || name.startsWith("SNAPCI_")
                    || name.startsWith("DCOS_") || name.equals("BUILD_TAG") || name.equals("CI")) {
                env.put(name, null);
            }
        }
        env.putAll(extra);
        return env;
    }

    public int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("snapci did not exit within " + timeout + "; output:\n" + output);
        }
        reader.join(5000);
        return process.exitValue();
    }

    /** Waits until the output contains {@code text}. */
    public void awaitOutput(String text, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!output.toString().contains(text)) {
            if (System.nanoTime() > deadline || !process.isAlive()) {
                throw new AssertionError("never printed '" + text + "'; output:\n" + output);
            }
            Thread.sleep(100);
        }
    }

    /** Sends SIGINT, as Ctrl-C in a terminal or a CI runner's cancel does. */
    public void interrupt() throws IOException, InterruptedException {
        new ProcessBuilder("kill", "-INT", String.valueOf(process.pid())).start().waitFor();
    }

    /** SIGTERM, as Marathon (or systemd, or docker stop) stops a service. */
    public void terminate() throws IOException, InterruptedException {
        new ProcessBuilder("kill", "-TERM", String.valueOf(process.pid())).start().waitFor();
    }

    /** SIGKILL: the JVM dies without running a single shutdown hook, as in a crash or an OOM kill. */
    public void killHard() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    public String output() {
        return output.toString();
    }
}
