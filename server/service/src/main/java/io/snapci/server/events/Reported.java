package io.snapci.server.events;

import io.snapci.model.RunStatus;

/** What a run reports to the event streams: a status change, a progress note, a line of the test output. */
sealed interface Reported permits Reported.Status, Reported.Note, Reported.Log {

    record Status(RunStatus status) implements Reported {
    }

    record Note(String note) implements Reported {
    }

    record Log(String line, boolean stderr) implements Reported {
    }

    /** Status changes are few and carry the phases: they are never dropped, only notes and log lines are. */
    default boolean droppable() {
        return !(this instanceof Status);
    }

    /** One report with its place in the run's journal (1, 2, ...). */
    record Numbered(long seq, Reported item) {
    }
}
