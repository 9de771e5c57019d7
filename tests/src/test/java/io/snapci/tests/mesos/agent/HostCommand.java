package io.snapci.tests.mesos.agent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A short helper program the agent runs on the host ({@code id}, {@code tar}, {@code gunzip}, ...), as the agent runs
 * {@code mesos-fetcher} or {@code dvdcli}: waits for it and returns its exit status and output.
 */
final class HostCommand {

    record Result(int exitCode, String stdout, String stderr) {
        boolean ok() {
            return exitCode == 0;
        }
    }

    private HostCommand() {
    }

    static Result run(List<String> argv) {
        return run(argv, null, null);
    }

    /** Runs {@code argv} with stdin from {@code in} (or /dev/null) and stdout into {@code out} (or captured). */
    static Result run(List<String> argv, Path in, Path out) {
        try {
            Path err = Files.createTempFile("mesos-peer-cmd", ".err");
            Path captured = out == null ? Files.createTempFile("mesos-peer-cmd", ".out") : out;
            try {
                ProcessBuilder builder = new ProcessBuilder(argv)
                        .redirectInput(in == null ? ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())
                                : ProcessBuilder.Redirect.from(in.toFile()))
                        .redirectOutput(captured.toFile())
                        .redirectError(err.toFile());
                Process process = builder.start();
                if (!process.waitFor(5, TimeUnit.MINUTES)) {
                    process.destroyForcibly();
                    throw new IllegalStateException(argv + " did not finish within 5 minutes");
                }
                String stdout = out == null ? Files.readString(captured, StandardCharsets.UTF_8) : "";
                return new Result(process.exitValue(), stdout, Files.readString(err, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(err);
                if (out == null) {
                    Files.deleteIfExists(captured);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not run " + argv, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + argv, e);
        }
    }

    /** The absolute path of a host program, found on the agent's own PATH; fails clearly when it is missing. */
    static String locate(String program) {
        String path = System.getenv().getOrDefault("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        for (String dir : path.split(":")) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, program);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        throw new IllegalStateException("the executing Mesos agent peer needs '" + program + "' on this machine's"
                + " PATH (util-linux / coreutils); install it or use a scripted agent");
    }
}
