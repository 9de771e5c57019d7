package io.snapci.scheduler.mesos.offer;

import org.apache.mesos.v1.Protos.Unavailability;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Refuses an agent going into maintenance: its offer carries {@code unavailability} (a start and an optional
 * duration; none means "until further notice"). A run placed there would be killed when the operator drains it, so
 * a window that starts before now + the horizon and has not ended yet is a no.
 */
public final class MaintenanceStage implements OfferStage {

    private final Duration horizon;
    private final Clock clock;

    public MaintenanceStage(Duration horizon, Clock clock) {
        this.horizon = horizon;
        this.clock = clock;
    }

    @Override
    public Optional<Rejection> check(CandidateOffer offer, PlacedRuns placed) {
        if (!offer.offer().hasUnavailability()) {
            return Optional.empty();
        }
        Unavailability window = offer.offer().getUnavailability();
        Instant now = clock.instant();
        Instant start = instant(window.getStart().getNanoseconds());
        Optional<Instant> end = window.hasDuration()
                ? Optional.of(start.plusNanos(window.getDuration().getNanoseconds())) : Optional.empty();
        if (end.isPresent() && !end.get().isAfter(now)) {
            return Optional.empty();  // the window is over
        }
        if (!start.isBefore(now.plus(horizon))) {
            return Optional.empty();  // far enough away for a CI run
        }
        String when = start.isAfter(now) ? "in " + minutes(Duration.between(now, start))
                : "since " + minutes(Duration.between(start, now)) + " ago";
        String length = end.map(e -> "until " + e).orElse("with no end given");
        return Optional.of(new Rejection("maintenance", "maintenance", "agent goes into maintenance at " + start
                + " (" + when + ") " + length + "; runs are kept " + minutes(horizon) + " away from maintenance"));
    }

    private static Instant instant(long epochNanos) {
        return Instant.ofEpochSecond(Math.floorDiv(epochNanos, 1_000_000_000L), Math.floorMod(epochNanos, 1_000_000_000L));
    }

    private static String minutes(Duration d) {
        long m = d.toMinutes();
        return m >= 120 && m % 60 == 0 ? m / 60 + " h" : m + " min";
    }
}
