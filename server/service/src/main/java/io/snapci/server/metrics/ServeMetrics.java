package io.snapci.server.metrics;

import io.snapci.model.Phase;
import io.snapci.model.RunStatus;
import io.snapci.scheduler.core.launch.DeclineReasons;
import io.snapci.scheduler.core.run.RunObserver;
import io.snapci.server.events.RunEvents;
import io.snapci.server.runs.CloneTimes;
import io.snapci.server.runs.RunDispatcher;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What {@code GET /metrics} shows. Counted as runs go (it observes the run service) since this process started:
 * runs by outcome, how long runs spent in each phase, how old the production data was when tests started on it;
 * read at scrape time: the queue, executing runs, open event streams, and in a cluster the offers declined by reason.
 */
public final class ServeMetrics implements RunObserver {

    private static final double[] PHASE_SECONDS = {0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600, 7200};
    private static final double[] AGE_SECONDS = {1, 10, 60, 300, 900, 3600, 4 * 3600, 12 * 3600, 86400, 7 * 86400};

    private final Map<Phase, LongAdder> outcomes = new EnumMap<>(Phase.class);
    private final Histogram phaseDurations = new Histogram("snapci_phase_duration_seconds", "phase", PHASE_SECONDS);
    private final Histogram snapshotAge = new Histogram("snapci_snapshot_age_at_test_start_seconds", null,
            AGE_SECONDS);
    private final Set<String> testingSeen = ConcurrentHashMap.newKeySet();
    private final CloneTimes cloneTimes;
    private final RunDispatcher dispatcher;
    private final RunEvents events;
    private final Optional<DeclineReasons> declines;

    public ServeMetrics(CloneTimes cloneTimes, RunDispatcher dispatcher, RunEvents events,
                        Optional<DeclineReasons> declines) {
        this.cloneTimes = cloneTimes;
        this.dispatcher = dispatcher;
        this.events = events;
        this.declines = declines;
        for (Phase phase : Phase.values()) {
            if (phase.isTerminal()) {
                outcomes.put(phase, new LongAdder());
            }
        }
    }

    @Override
    public void onStatus(RunStatus status) {
        if (status.phase() == Phase.TESTING && testingSeen.add(status.id())) {
            Instant testsStarted = status.history().get(status.history().size() - 1).at();
            cloneTimes.dataTakenAt(status.id()).ifPresent(taken ->
                    snapshotAge.observe(null, Math.max(0, Duration.between(taken, testsStarted).toMillis() / 1000.0)));
        }
        if (status.phase().isTerminal()) {
            testingSeen.remove(status.id());
            outcomes.get(status.phase()).increment();
            List<RunStatus.PhaseChange> history = status.history();
            for (int i = 0; i + 1 < history.size(); i++) {
                double seconds = Duration.between(history.get(i).at(), history.get(i + 1).at()).toMillis() / 1000.0;
                phaseDurations.observe(history.get(i).phase().name(), Math.max(0, seconds));
            }
        }
    }

    /** The exposition text, as of now. */
    public String scrape() {
        PrometheusText text = new PrometheusText();
        text.family("snapci_runs_finished_total", "counter", "Runs that reached a terminal phase, by outcome.");
        outcomes.forEach((phase, count) -> text.sample("snapci_runs_finished_total",
                Map.of("outcome", phase.name().toLowerCase(Locale.ROOT)), count.sum()));
        text.family("snapci_runs_queued", "gauge", "Runs waiting in QUEUED for a free slot (the queue length).");
        text.sample("snapci_runs_queued", dispatcher.waitingCount());
        text.family("snapci_runs_executing", "gauge", "Runs being executed by this server.");
        text.sample("snapci_runs_executing", dispatcher.runningCount());
        text.family("snapci_phase_duration_seconds", "histogram", "Time finished runs spent in each phase.");
        phaseDurations.writeTo(text);
        text.family("snapci_snapshot_age_at_test_start_seconds", "histogram",
                "Age of the production data in the copy when the tests started on it.");
        snapshotAge.writeTo(text);
        text.family("snapci_event_streams", "gauge", "Open server-sent event streams.");
        text.sample("snapci_event_streams", events.openSubscriptions());
        declines.ifPresent(reasons -> {
            text.family("snapci_offers_declined_total", "counter", "Mesos offers declined, by reason kind.");
            reasons.snapshot().countsByKind().forEach((kind, count) ->
                    text.sample("snapci_offers_declined_total", Map.of("reason", kind), count));
        });
        return text.toString();
    }
}
