package io.snapci.cli.display;

/** A phase as the local run prints it: "starting_cassandra" while it goes, "PASSED: ..." at the end. */
final class PhaseText {

    private static final java.util.Set<String> TERMINAL = java.util.Set.of("PASSED", "FAILED", "ERROR", "CANCELLED");

    private PhaseText() {
    }

    static String of(String phase, String message) {
        String name = TERMINAL.contains(phase) ? phase : phase.toLowerCase();
        return message == null || message.isBlank() ? name : name + ": " + message;
    }
}
