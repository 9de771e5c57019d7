package io.snapci.server.runs;

import io.snapci.model.RunSpec;
import io.snapci.model.RunStatus;
import io.snapci.scheduler.core.state.RunStore;
import io.snapci.scheduler.core.process.Threads;
import io.snapci.server.ApiProblem;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

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
    /** Built from the store on a thread of its own: a restarted serve answers before it has read every run. */
    private volatile CompletableFuture<Map<String, String>> runIdByKey = new CompletableFuture<>();

    public RunSubmissions(RunDispatcher dispatcher, RunStore store) {
        this.dispatcher = dispatcher;
        this.store = store;
        Threads.daemon("snapci-client-keys").newThread(this::index).start();
    }

    private void index() {
        try {
            runIdByKey.complete(readKeys());
        } catch (RuntimeException e) {
            runIdByKey.completeExceptionally(e);
        }
    }

    private Map<String, String> readKeys() {
        Map<String, String> byKey = new HashMap<>();
        for (RunStatus run : store.list()) {
            String key = run.spec().labels().get(CLIENT_KEY_LABEL);
            if (key != null) {
                byKey.put(key, run.id());
            }
        }
        return byKey;
    }

    /** The index, once built; a build that failed (the store could not be read) is tried again now. */
    private Map<String, String> keys() {
        try {
            return runIdByKey.join();
        } catch (java.util.concurrent.CompletionException e) {
            Map<String, String> byKey = readKeys();  // fails the submission if the store still cannot be read
            runIdByKey = CompletableFuture.completedFuture(byKey);
            return byKey;
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
        Map<String, String> runIdByKey = keys();  // a keyed submission waits for the index
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
