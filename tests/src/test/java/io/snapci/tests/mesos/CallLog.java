package io.snapci.tests.mesos;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.mesos.v1.scheduler.Protos.Call;

/**
 * Every call the peer parsed, in arrival order, with the status it answered; and a cursor per call type so a story
 * can say "the next ACCEPT" without counting. Thread-safe.
 */
public final class CallLog {

    /** A call as received, with the HTTP status the peer answered. */
    public record Received(Call call, int status) {
    }

    private final List<Received> all = new ArrayList<>();
    private final Map<Call.Type, Integer> consumed = new EnumMap<>(Call.Type.class);

    synchronized void add(Call call, int status) {
        all.add(new Received(call, status));
        notifyAll();
    }

    synchronized List<Received> all() {
        return List.copyOf(all);
    }

    /** The next accepted (2xx) call of this type that no earlier {@code next} returned; empty on timeout. */
    synchronized Optional<Call> next(Call.Type type, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            int seen = 0;
            int skip = consumed.getOrDefault(type, 0);
            for (Received r : all) {
                if (r.call().getType() == type && r.status() / 100 == 2) {
                    if (seen++ == skip) {
                        consumed.put(type, skip + 1);
                        return Optional.of(r.call());
                    }
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return Optional.empty();
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }

    List<Call> accepted(Call.Type type) {
        List<Call> calls = new ArrayList<>();
        for (Received r : all()) {
            if (r.call().getType() == type && r.status() / 100 == 2) {
                calls.add(r.call());
            }
        }
        return calls;
    }
}
