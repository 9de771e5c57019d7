package io.snapci.cli.display;

import io.snapci.cli.ProgressPrinter;

import java.io.PrintStream;
import java.time.Duration;

/**
 * Plain lines, as a CI log keeps them: the same "[snapci 12.3s] ..." notes as a local run prints, and the test
 * command's output as it is (stdout to stdout, stderr to stderr).
 */
public final class PlainDisplay implements RunDisplay {

    private final ProgressPrinter printer;
    private final PrintStream out;
    private final PrintStream err;

    public PlainDisplay(PrintStream out, PrintStream err) {
        this.printer = new ProgressPrinter(out, err);
        this.out = out;
        this.err = err;
    }

    @Override
    public void phase(String phase, String message) {
        printer.note(PhaseText.of(phase, message));
    }

    @Override
    public void progress(String note) {
        printer.note(note);
    }

    @Override
    public void tests(String summary) {
        printer.note("tests: " + summary);
    }

    @Override
    public void log(boolean stderr, String line) {
        PrintStream stream = stderr ? err : out;
        stream.println(line);
        stream.flush();
    }

    @Override
    public void streamLost(String why, Duration retryIn) {
        printer.note(why + "; reconnecting in " + retryIn.toMillis() + " ms");
    }

    @Override
    public void note(String text) {
        printer.note(text);
    }

    @Override
    public void close() {
        out.flush();
    }
}
