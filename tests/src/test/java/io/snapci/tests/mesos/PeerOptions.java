package io.snapci.tests.mesos;

import java.time.Duration;
import java.util.Optional;

/**
 * How the peer's clocks run. The real values (mesos 1.11.0) are the defaults of {@link #realMaster()}; tests use
 * {@link #forTests()}, the same rules on a faster clock.
 *
 * @param heartbeatInterval       HEARTBEAT period, sent in SUBSCRIBED as {@code heartbeat_interval_seconds}
 *                                (master {@code DEFAULT_HEARTBEAT_INTERVAL} = 15 s)
 * @param allocationInterval      how often offers are made; empty: only when {@link MesosMasterPeer#offerNow()} is
 *                                called (master flag {@code --allocation_interval}, default 1 s)
 * @param updateRetryInterval     first resend of an unacknowledged status update (agent
 *                                {@code STATUS_UPDATE_RETRY_INTERVAL_MIN} = 10 s), doubled on every resend
 * @param updateRetryMax          largest resend interval (agent {@code STATUS_UPDATE_RETRY_INTERVAL_MAX} = 10 min)
 * @param killGracePeriod         how long a killed task takes to end after TASK_KILLING (the default executor's
 *                                SIGTERM grace is up to 3 s; a well-behaved task ends sooner)
 */
public record PeerOptions(
        Duration heartbeatInterval,
        Optional<Duration> allocationInterval,
        Duration updateRetryInterval,
        Duration updateRetryMax,
        Duration killGracePeriod) {

    public static PeerOptions realMaster() {
        return new PeerOptions(Duration.ofSeconds(15), Optional.of(Duration.ofSeconds(1)), Duration.ofSeconds(10),
                Duration.ofMinutes(10), Duration.ofMillis(100));
    }

    /** 200 ms heartbeats and update resends, offers only on {@code offerNow()}, kills that end in 20 ms. */
    public static PeerOptions forTests() {
        return new PeerOptions(Duration.ofMillis(200), Optional.empty(), Duration.ofMillis(200),
                Duration.ofSeconds(2), Duration.ofMillis(20));
    }

    public PeerOptions withHeartbeatInterval(Duration d) {
        return new PeerOptions(d, allocationInterval, updateRetryInterval, updateRetryMax, killGracePeriod);
    }

    public PeerOptions withAllocationInterval(Duration d) {
        return new PeerOptions(heartbeatInterval, Optional.of(d), updateRetryInterval, updateRetryMax,
                killGracePeriod);
    }

    public PeerOptions withManualOffers() {
        return new PeerOptions(heartbeatInterval, Optional.empty(), updateRetryInterval, updateRetryMax,
                killGracePeriod);
    }

    public PeerOptions withUpdateRetry(Duration first, Duration max) {
        return new PeerOptions(heartbeatInterval, allocationInterval, first, max, killGracePeriod);
    }

    public PeerOptions withKillGracePeriod(Duration d) {
        return new PeerOptions(heartbeatInterval, allocationInterval, updateRetryInterval, updateRetryMax, d);
    }
}
