package io.snapci.executor.testcmd;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * How a test command ended. {@code exitCode} is bash's exit code as-is (126/127 included: the caller decides what
 * they mean); for a killed command it is whatever the signal left (typically 143 or 137), and -1 when the command
 * was cancelled before it started. {@code startedAt} is when the process was launched: reports older than that are
 * stale.
 */
public record TestCommandResult(int exitCode, boolean timedOut, boolean cancelled, Instant startedAt, Duration took,
                                Path stdoutLog, Path stderrLog) {
}
