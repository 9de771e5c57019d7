package io.snapci.cli.display;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TerminalDisplayTest {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    private final TerminalDisplay display = new TerminalDisplay(out, out, "r1", false);

    private String text() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aPermanentLineErasesTheStatusLineAndTheStatusLineIsDrawnAgainBelowIt() {
        display.phase("TESTING", null);
        display.tests("2 passed, 0 failed");
        bytes.reset();

        display.log(false, "checking 127.0.0.1:9042");

        String text = text();
        assertTrue(text.startsWith(TerminalDisplay.ERASE_LINE + "checking 127.0.0.1:9042" + System.lineSeparator()),
                text);
        String status = text.substring(text.indexOf(System.lineSeparator()) + System.lineSeparator().length());
        assertTrue(status.contains("r1  TESTING  0m00s  2 passed, 0 failed"), status);
        assertFalse(status.contains("\n"), "the status line stays one line");
    }

    @Test
    void afterCloseNothingIsRedrawnAndNotesArePlainLines() {
        display.phase("PASSED", "Tests passed");
        display.close();
        bytes.reset();

        display.redraw();
        display.note("JUnit XML written to out.xml");

        assertEquals("[snapci] JUnit XML written to out.xml" + System.lineSeparator(), text());
    }
}
