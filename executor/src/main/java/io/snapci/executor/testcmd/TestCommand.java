package io.snapci.executor.testcmd;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The user's test command and where it runs.
 *
 * @param command a shell command line, run as {@code bash -c command}
 * @param workDir the command's working directory
 * @param env     variables added to (and overriding) the inherited environment
 * @param timeout how long the command may run before its whole process tree is killed; {@code null}, zero or
 *                negative means no limit
 * @param logDir  where {@code tests.stdout.log} and {@code tests.stderr.log} are written (created if missing)
 */
public record TestCommand(String command, Path workDir, Map<String, String> env, Duration timeout, Path logDir) {

    public static final String STDOUT_LOG = "tests.stdout.log";
    public static final String STDERR_LOG = "tests.stderr.log";

    public TestCommand {
        env = env == null ? Map.of() : Map.copyOf(env);
    }

    public Path stdoutLog() {
        return logDir.resolve(STDOUT_LOG);
    }

    public Path stderrLog() {
        return logDir.resolve(STDERR_LOG);
    }

    boolean hasTimeout() {
        return timeout != null && !timeout.isNegative() && !timeout.isZero();
    }
}
