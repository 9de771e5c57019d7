package io.snapci.server.runs;

import io.snapci.model.RunSpec;
import io.snapci.model.RunStatus;
import io.snapci.scheduler.core.state.RunStore;
import io.snapci.server.ApiProblem;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Submissions made idempotent by a client key (typically the CI job id): the same key with the same spec returns
 * the run the first submission created, so a CI job that retries its POST after a timeout never starts two runs.
 * The key is kept in the run's labels under {@link #CLIENT_KEY_LABEL}, so it survives restarts and can be
 * filtered on; the index is rebuilt from the store when serve starts.
 */
public final class RunSubmissions {

    public static final String CLIENT_KEY_LABEL = "snapci.clientKey";

    private final RunDispatcher dispatcher;
    private final RunStore store;
    private final Map<String, String> runIdByKey = new HashMap<>();

    public RunSubmissions(RunDispatcher dispatcher, RunStore store) {
        this.dispatcher = dispatcher;
        this.store = store;
        for (RunStatus run : store.list()) {
            String key = run.spec().labels().get(CLIENT_KEY_LABEL);
            if (key != null) {
                runIdByKey.put(key, run.id());
            }
        }
    }

    /** A run and whether this submission created it (false: the client key named an existing one). */
    public record Submitted(RunStatus run, boolean created) {
    }

    /** Submits {@code spec}, or returns the run an earlier submission with the same client key created. */
    public synchronized Submitted submit(RunSpec spec, String clientKey) {
        if (clientKey == null) {
            return new Submitted(dispatcher.submit(spec), true);
        }
        RunSpec keyed = withClientKey(spec, clientKey);
        Optional<RunStatus> earlier = Optional.ofNullable(runIdByKey.get(clientKey)).flatMap(store::find);
        if (earlier.isPresent()) {
            if (!earlier.get().spec().equals(keyed)) {
                throw ApiProblem.conflict("clientKey", "client key '" + clientKey + "' already names run "
                        + earlier.get().id() + ", submitted with a different spec. Use a new key for a new run.");
            }
            return new Submitted(earlier.get(), false);
        }
        RunStatus run = dispatcher.submit(keyed);
        runIdByKey.put(clientKey, run.id());
        return new Submitted(run, true);
    }

    private static RunSpec withClientKey(RunSpec spec, String clientKey) {
        Map<String, String> labels = new HashMap<>(spec.labels());
        labels.put(CLIENT_KEY_LABEL, clientKey);
        return new RunSpec(spec.source(), spec.testCommand(), spec.testImage(), spec.workDir(), spec.env(),
                spec.junitGlob(), spec.timeouts(), spec.cassandra(), labels, spec.mask());
    }
}
