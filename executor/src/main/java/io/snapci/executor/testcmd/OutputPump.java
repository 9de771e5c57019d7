package io.snapci.executor.testcmd;

import io.snapci.model.ExecutionListener;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Copies one output stream of the test command, line by line, to the listener and to a log file as it comes. Each
 * stream has its own thread: a command that fills one pipe while we block on the other would otherwise hang.
 */
final class OutputPump implements Runnable {

    private final InputStream in;
    private final Writer log;
    private final ExecutionListener listener;
    private final boolean stderr;
    private boolean closed;

    private OutputPump(InputStream in, Writer log, ExecutionListener listener, boolean stderr) {
        this.in = in;
        this.log = log;
        this.listener = listener;
        this.stderr = stderr;
    }

    /** Opens (truncating) the log file and starts the copying thread. */
    static Started start(InputStream in, Path logFile, ExecutionListener listener, boolean stderr)
            throws IOException {
        Writer log = Files.newBufferedWriter(logFile, StandardCharsets.UTF_8);
        OutputPump pump = new OutputPump(in, log, listener, stderr);
        Thread thread = new Thread(pump, "snapci-tests-" + (stderr ? "stderr" : "stdout"));
        // Daemon: a process that escaped the kill and still holds the pipe must not keep the JVM alive.
        thread.setDaemon(true);
        thread.start();
        return new Started(pump, thread);
    }

    record Started(OutputPump pump, Thread thread) {
    }

    @Override
    public void run() {
        // readLine() also returns a last line that has no newline, once the pipe closes.
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                line(line, !reader.ready());
            }
        } catch (IOException e) {
            // The pipe was closed under us (process killed): what was read is already logged.
        } finally {
            close();
        }
    }

    /**
     * Logs a line and tells the listener. The log is flushed whenever no more output is waiting, so it is
     * current while the command runs without a write per line for chatty builds.
     */
    synchronized void line(String line, boolean flush) {
        if (!closed) {
            try {
                log.write(line);
                log.write('\n');
                if (flush) {
                    log.flush();
                }
            } catch (IOException e) {
                // A full disk must not stop the copying: the command would block on a full pipe.
            }
        }
        try {
            listener.onTestOutput(line, stderr);
        } catch (RuntimeException e) {
            // Same: a failing listener must not stall the command.
        }
    }

    synchronized void close() {
        if (!closed) {
            closed = true;
            try {
                log.close();
            } catch (IOException e) {
                // nothing more to save
            }
        }
    }
}
