package io.snapci.scheduler.mesos.launch;

import org.apache.mesos.v1.scheduler.Protos.Call;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Offers only while runs wait (as dcos-commons' ReviveManager): SUPPRESS when none waits, REVIVE when one arrives.
 * REVIVE resets the master's refuse filters for us (src/master/master.cpp: revive), so it is rate-limited: one wanted
 * sooner than {@code minInterval} after the last is held back and sent by {@link #tick}. A REVIVE that fails to reach
 * the master is wanted still: the framework must not stay suppressed while runs wait.
 */
final class ReviveManager {

    private final FrameworkCalls calls;
    private final Clock clock;
    private final Duration minInterval;
    private boolean suppressed;
    private Instant lastRevive = Instant.EPOCH;
    private boolean reviveWanted;

    ReviveManager(FrameworkCalls calls, Clock clock, Duration minInterval) {
        this.calls = calls;
        this.clock = clock;
        this.minInterval = minInterval;
    }

    /** A new subscription starts with offers flowing. */
    void subscribed() {
        suppressed = false;
    }

    /** No run waits: stop the offers. */
    void noneWaiting() {
        if (!suppressed && calls.subscribed()
                && calls.send(Call.newBuilder().setType(Call.Type.SUPPRESS).setSuppress(Call.Suppress.newBuilder()))) {
            suppressed = true;
        }
    }

    /** A run waits: make sure offers come. */
    void runsWaiting() {
        if (!calls.subscribed()) {
            return;  // the coming SUBSCRIBE brings offers
        }
        Instant now = clock.instant();
        if (suppressed || !now.isBefore(lastRevive.plus(minInterval))) {
            lastRevive = now;
            if (calls.send(Call.newBuilder().setType(Call.Type.REVIVE).setRevive(Call.Revive.newBuilder()))) {
                suppressed = false;
                reviveWanted = false;
            } else {
                reviveWanted = true;  // not delivered: tick() tries again once the interval has passed
            }
        } else {
            reviveWanted = true;  // sent by tick() once the interval has passed
        }
    }

    /** Sends a REVIVE that was held back or failed, if runs still wait. */
    void tick(boolean runsWaiting) {
        if (reviveWanted && runsWaiting) {
            runsWaiting();
        }
    }

    boolean suppressed() {
        return suppressed;
    }
}
