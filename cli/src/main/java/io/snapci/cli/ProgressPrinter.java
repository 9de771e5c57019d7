package io.snapci.cli;

import io.snapci.model.Phase;
import io.snapci.model.RunStatus;
import io.snapci.scheduler.core.run.RunObserver;

import java.io.PrintStream;

/**
 * Prints a run's progress as plain lines a CI log keeps well: "[snapci] ..." for snapci's own notes, the test
 * command's output as it is (stdout to stdout, stderr to stderr).
 */
public final class ProgressPrinter implements RunObserver {

    private final PrintStream out;
    private final PrintStream err;
    private final long startNanos = System.nanoTime();
    private Phase lastPhase;

    public ProgressPrinter(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    @Override
    public synchronized void onStatus(RunStatus status) {
        if (status.phase() != lastPhase) {
            lastPhase = status.phase();
            String note = status.message() == null ? "" : ": " + status.message();
            note(status.phase().isTerminal() ? status.phase() + note : status.phase().name().toLowerCase() + note);
        }
    }

    @Override
    public void onProgress(String runId, String note) {
        note(note);
    }

    @Override
    public void onTestOutput(String runId, String line, boolean stderr) {
        (stderr ? err : out).println(line);
    }

    public synchronized void note(String text) {
        out.printf("[snapci %5.1fs] %s%n", (System.nanoTime() - startNanos) / 1e9, text);
        out.flush();
    }
}
