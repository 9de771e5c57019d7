package io.snapci.tests.portworx;

import io.snapci.scheduler.portworx.sdk.GrpcCode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Faults the peer injects, for the error paths a real cluster produces now and then: latency on every call,
 * errors (5xx, out of space, permission denied...) on the next calls to a path, calls that hang past the client's
 * timeout, and calls that succeed but whose answer is lost (the client sees a 503 although the work was done).
 */
public final class PeerFaults {

    /** What to do with one matching request. */
    enum Action { FAIL, HANG, LOSE_ANSWER }

    record Rule(String method, String pathPrefix, boolean exact, Action action, GrpcCode code, String message,
                int[] remaining) {
        boolean matches(String m, String path) {
            return (method == null || method.equals(m))
                    && (pathPrefix == null || (exact ? path.equals(pathPrefix) : path.startsWith(pathPrefix)));
        }
    }

    private final List<Rule> rules = new ArrayList<>();
    private final java.util.Map<String, Object[]> driverFailures = new java.util.HashMap<>();
    private volatile Duration latency = Duration.ZERO;
    private volatile Duration hang = Duration.ofSeconds(3);

    /** Every call waits this long before it is served. */
    public PeerFaults latency(Duration delay) {
        this.latency = delay;
        return this;
    }

    Duration latency() {
        return latency;
    }

    Duration hang() {
        return hang;
    }

    /** How long a hanging call hangs (beyond the client's request timeout). */
    public PeerFaults hangFor(Duration duration) {
        this.hang = duration;
        return this;
    }

    /** The next {@code times} calls of {@code method} (null: any) on paths starting with {@code pathPrefix} fail. */
    public synchronized PeerFaults fail(String method, String pathPrefix, int times, GrpcCode code, String message) {
        rules.add(new Rule(method, pathPrefix, false, Action.FAIL, code, message, new int[]{times}));
        return this;
    }

    /** The next {@code times} matching calls hang longer than a client waits, then fail. */
    public synchronized PeerFaults hang(String method, String pathPrefix, int times) {
        rules.add(new Rule(method, pathPrefix, false, Action.HANG, GrpcCode.DEADLINE_EXCEEDED, "deadline exceeded",
                new int[]{times}));
        return this;
    }

    /** The next {@code times} matching calls do their work, but the client gets a 503 instead of the answer. */
    public synchronized PeerFaults loseAnswer(String method, String pathPrefix, int times) {
        rules.add(new Rule(method, pathPrefix, false, Action.LOSE_ANSWER, GrpcCode.UNAVAILABLE,
                "upstream connect error or disconnect/reset before headers", new int[]{times}));
        return this;
    }

    /**
     * The driver fails creates, snapshots and clones as a full pool does, until {@link #clear()}. The SDK wraps the
     * driver's error as it wraps any: Internal for create and snapshot, Aborted for clone (see the peer), not
     * ResourceExhausted.
     */
    public synchronized PeerFaults outOfSpace() {
        for (String op : List.of("create", "snapshot", "clone")) {
            driverFailures.put(op, new Object[]{"not enough space in storage pool (no space left on device)",
                    new int[]{Integer.MAX_VALUE}});
        }
        return this;
    }

    /**
     * The next {@code times} driver calls {@code op} ({@code create}, {@code snapshot}, {@code clone} or {@code groupsnapshot}, the
     * last answered as snapGroup answers a driver's error, api/server/volume.go:1682-1686) fail with
     * {@code message}, wrapped by the SDK as the real server wraps them.
     */
    public synchronized PeerFaults driverFails(String op, int times, String message) {
        driverFailures.put(op, new Object[]{message, new int[]{times}});
        return this;
    }

    /** The driver failure for this call, counting it down, or null. */
    synchronized String takeDriverFailure(String op) {
        Object[] failure = driverFailures.get(op);
        if (failure == null) {
            return null;
        }
        int[] remaining = (int[]) failure[1];
        if (--remaining[0] <= 0) {
            driverFailures.remove(op);
        }
        return (String) failure[0];
    }

    public synchronized PeerFaults clear() {
        rules.clear();
        driverFailures.clear();
        latency = Duration.ZERO;
        return this;
    }

    /** The rule that takes this call, counting it down, or null. */
    synchronized Rule take(String method, String path) {
        for (Iterator<Rule> it = rules.iterator(); it.hasNext(); ) {
            Rule rule = it.next();
            if (rule.matches(method, path)) {
                if (--rule.remaining()[0] <= 0) {
                    it.remove();
                }
                return rule;
            }
        }
        return null;
    }
}
