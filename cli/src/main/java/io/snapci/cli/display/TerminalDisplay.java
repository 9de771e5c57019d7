package io.snapci.cli.display;

import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * On a terminal: one status line at the bottom (spinner, run, phase, time, test counts), redrawn in place four
 * times a second; snapci's notes and the test output scroll above it. Every permanent line first erases the status
 * line ({@code CR}, erase-line) and the status line is drawn again after it, so the two never mix.
 */
public final class TerminalDisplay implements RunDisplay {

    static final String ERASE_LINE = "\r\033[2K";
    private static final String SPINNER = "|/-\\";

    private final PrintStream out;
    private final PrintStream err;
    private final String runLabel;
    private final long startNanos = System.nanoTime();
    private final ScheduledExecutorService ticker;
    private String phase = "submitting";
    private String tests = "";
    private int frame;
    private boolean closed;

    TerminalDisplay(PrintStream out, PrintStream err, String runLabel) {
        this(out, err, runLabel, true);
    }

    /** {@code ticking} false: redrawn only when something happens (for tests). */
    TerminalDisplay(PrintStream out, PrintStream err, String runLabel, boolean ticking) {
        this.out = out;
        this.err = err;
        this.runLabel = runLabel;
        this.ticker = ticking ? Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "snapci-status-line");
            t.setDaemon(true);
            return t;
        }) : null;
        if (ticker != null) {
            ticker.scheduleAtFixedRate(this::redraw, 250, 250, TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public synchronized void phase(String phase, String message) {
        this.phase = phase;
        permanent(out, "[snapci] " + PhaseText.of(phase, message));
    }

    @Override
    public void progress(String note) {
        note(note);
    }

    @Override
    public synchronized void tests(String summary) {
        this.tests = summary;
        redraw();
    }

    @Override
    public void log(boolean stderr, String line) {
        permanent(stderr ? err : out, line);
    }

    @Override
    public void streamLost(String why, Duration retryIn) {
        note(why + "; reconnecting");
    }

    @Override
    public void note(String text) {
        permanent(out, "[snapci] " + text);
    }

    private synchronized void permanent(PrintStream stream, String line) {
        if (closed) {
            stream.println(line);
            return;
        }
        out.print(ERASE_LINE);
        out.flush();
        stream.println(line);
        stream.flush();
        drawStatus();
    }

    synchronized void redraw() {
        if (!closed) {
            frame++;
            out.print(ERASE_LINE);
            drawStatus();
        }
    }

    private void drawStatus() {
        long seconds = (System.nanoTime() - startNanos) / 1_000_000_000L;
        out.print(SPINNER.charAt(frame % SPINNER.length()) + " " + runLabel + "  " + phase + "  "
                + seconds / 60 + "m" + String.format("%02d", seconds % 60) + "s"
                + (tests.isEmpty() ? "" : "  " + tests));
        out.flush();
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            if (ticker != null) {
                ticker.shutdownNow();
            }
            out.print(ERASE_LINE);
            out.flush();
        }
    }
}
