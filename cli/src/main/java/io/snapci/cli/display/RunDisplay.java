package io.snapci.cli.display;

import io.snapci.cli.remote.RunEventListener;

import java.io.PrintStream;

/** How a followed run is shown: plain lines (CI logs, pipes) or a redrawn status line (a terminal). */
public interface RunDisplay extends RunEventListener, AutoCloseable {

    /** One of snapci's own lines. */
    void note(String text);

    /** Stops redrawing; what is printed afterwards stays as it is. */
    @Override
    void close();

    /**
     * A terminal gets the redrawn status line, anything else plain lines: {@code System.console()} is null when
     * stdin or stdout is not a terminal, and a {@code dumb} terminal (an editor's shell) cannot redraw.
     */
    static RunDisplay forOutput(PrintStream out, PrintStream err, boolean plainWanted, String runLabel) {
        String term = System.getenv("TERM");
        boolean terminal = System.console() != null && term != null && !term.equals("dumb");
        return terminal && !plainWanted ? new TerminalDisplay(out, err, runLabel) : new PlainDisplay(out, err);
    }
}
