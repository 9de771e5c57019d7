package io.snapci.cli.service;

import io.snapci.model.RunStatus;
import io.snapci.model.Source;

import java.time.Duration;
import java.time.Instant;

/** How runs read in a terminal: one table row each for {@code list}, a block for {@code status}. */
final class RunText {

    static final String HEADER = String.format("%-24s %-18s %-9s %-22s %s", "ID", "PHASE", "AGE", "TESTS", "SOURCE");

    private RunText() {
    }

    static String row(RunStatus run, Instant now) {
        return String.format("%-24s %-18s %-9s %-22s %s", run.id(), run.phase(), age(run.createdAt(), now),
                run.tests() == null ? "-" : run.tests().summary(), source(run.spec().source()));
    }

    static String block(RunStatus run, Instant now) {
        StringBuilder text = new StringBuilder();
        line(text, "run", run.id());
        line(text, "phase", run.phase() + (run.message() == null ? "" : ": " + run.message()));
        line(text, "source", source(run.spec().source()));
        line(text, "test command", run.spec().testCommand());
        if (run.spec().testImage() != null) {
            line(text, "test image", run.spec().testImage());
        }
        line(text, "created", run.createdAt() + " (" + age(run.createdAt(), now) + " ago)");
        if (!run.spec().labels().isEmpty()) {
            line(text, "labels", run.spec().labels().toString());
        }
        if (run.cassandraReadyMillis() != null) {
            line(text, "cassandra ready", String.format("after %.1f s", run.cassandraReadyMillis() / 1000.0));
        }
        if (run.tests() != null) {
            line(text, "tests", run.tests().summary());
            run.tests().failed().forEach(f -> line(text, "  failed", f.displayName()
                    + (f.message() == null ? "" : ": " + f.message())));
        }
        if (run.testExitCode() != null) {
            line(text, "test exit code", run.testExitCode().toString());
        }
        if (run.phase().isTerminal()) {
            line(text, "copy", run.cleanedUp() ? "deleted" : "NOT DELETED");
        }
        text.append("history:\n");
        RunStatus.PhaseChange previous = null;
        for (RunStatus.PhaseChange change : run.history()) {
            text.append(String.format("  %-20s %s%s%n", change.phase(), change.at(), previous == null ? ""
                    : " (+" + human(Duration.between(previous.at(), change.at())) + ")"));
            previous = change;
        }
        return text.toString();
    }

    private static void line(StringBuilder text, String name, String value) {
        text.append(String.format("%-16s %s%n", name + ":", value));
    }

    static String source(Source source) {
        return source == null ? "(empty Cassandra)" : source.describe();
    }

    private static String age(Instant since, Instant now) {
        return since == null ? "-" : human(Duration.between(since, now));
    }

    static String human(Duration duration) {
        long s = Math.max(0, duration.toSeconds());
        if (s < 60) {
            return duration.toMillis() < 10_000 && duration.toMillis() % 1000 != 0
                    ? String.format("%.1fs", duration.toMillis() / 1000.0) : s + "s";
        }
        if (s < 3600) {
            return s / 60 + "m" + String.format("%02d", s % 60) + "s";
        }
        return s < 86_400 ? s / 3600 + "h" + String.format("%02d", s % 3600 / 60) + "m" : s / 86_400 + "d";
    }
}
