package io.snapci.tests.support;

import io.snapci.model.Phase;
import io.snapci.model.RunStatus;
import io.snapci.scheduler.core.run.RunObserver;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Keeps everything a run reported, for assertions. */
public final class RecordingObserver implements RunObserver {

    public final List<Phase> phases = Collections.synchronizedList(new ArrayList<>());
    public final List<String> notes = Collections.synchronizedList(new ArrayList<>());
    public final List<String> output = Collections.synchronizedList(new ArrayList<>());

    @Override
    public void onStatus(RunStatus status) {
        if (phases.isEmpty() || phases.get(phases.size() - 1) != status.phase()) {
            phases.add(status.phase());
        }
    }

    @Override
    public void onProgress(String runId, String note) {
        notes.add(note);
    }

    @Override
    public void onTestOutput(String runId, String line, boolean stderr) {
        output.add(line);
    }

    public String outputText() {
        synchronized (output) {
            return String.join("\n", output);
        }
    }
}
