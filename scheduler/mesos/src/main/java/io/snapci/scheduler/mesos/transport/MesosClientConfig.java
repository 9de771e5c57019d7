package io.snapci.scheduler.mesos.transport;

import io.snapci.model.tls.ClusterTrust;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of {@link MesosSchedulerClient}. Defaults follow apache/mesos {@code docs/scheduler-http-api.md}
 * ("Network partitions"): resubscribe with exponential backoff up to 15 s, give up on a stream after missing 5
 * heartbeats, and allow 75 s for an answer to a call.
 *
 * @param master              a master's HTTP address, e.g. {@code http://leader.mesos:5050}; {@code zk://} is rejected
 * @param backoffMin          first resubscription delay ceiling
 * @param backoffMax          largest resubscription delay
 * @param backoffJitter       full jitter (uniform in [0, ceiling)); false gives exact, predictable delays
 * @param heartbeatMissFactor after SUBSCRIBED, the stream is considered dead after this many heartbeat intervals
 *                            without any event
 * @param subscribeTimeout    how long to wait for SUBSCRIBED (response headers and first event) on a new connection
 * @param requestTimeout      how long a call may take to be answered
 * @param maxRecordBytes      largest RecordIO record accepted on the stream
 * @param trust               the CAs the master's (and the agents') https certificates are checked against
 */
public record MesosClientConfig(
        URI master,
        Duration backoffMin,
        Duration backoffMax,
        boolean backoffJitter,
        int heartbeatMissFactor,
        Duration subscribeTimeout,
        Duration requestTimeout,
        int maxRecordBytes,
        ClusterTrust trust) {

    public static final Duration DEFAULT_BACKOFF_MIN = Duration.ofMillis(500);
    public static final Duration DEFAULT_BACKOFF_MAX = Duration.ofSeconds(15);
    public static final int DEFAULT_HEARTBEAT_MISS_FACTOR = 5;
    public static final Duration DEFAULT_SUBSCRIBE_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(75);

    public MesosClientConfig {
        Objects.requireNonNull(master, "master");
        Endpoints.schedulerEndpoint(master); // fail at construction, with the clear message, not at start()
        requirePositive(backoffMin, "backoffMin");
        requirePositive(backoffMax, "backoffMax");
        if (backoffMax.compareTo(backoffMin) < 0) {
            throw new IllegalArgumentException("backoffMax " + backoffMax + " is below backoffMin " + backoffMin);
        }
        if (heartbeatMissFactor < 1) {
            throw new IllegalArgumentException("heartbeatMissFactor must be at least 1: " + heartbeatMissFactor);
        }
        requirePositive(subscribeTimeout, "subscribeTimeout");
        requirePositive(requestTimeout, "requestTimeout");
        if (maxRecordBytes < 1) {
            throw new IllegalArgumentException("maxRecordBytes must be positive: " + maxRecordBytes);
        }
        trust = trust == null ? ClusterTrust.jdkDefaults() : trust;
    }

    /** Defaults for everything but the master address. */
    public static MesosClientConfig forMaster(String master) {
        return forMaster(URI.create(master));
    }

    public static MesosClientConfig forMaster(URI master) {
        return new MesosClientConfig(master, DEFAULT_BACKOFF_MIN, DEFAULT_BACKOFF_MAX, true,
                DEFAULT_HEARTBEAT_MISS_FACTOR, DEFAULT_SUBSCRIBE_TIMEOUT, DEFAULT_REQUEST_TIMEOUT,
                RecordIoDecoder.DEFAULT_MAX_RECORD_BYTES, null);
    }

    public MesosClientConfig withBackoff(Duration min, Duration max, boolean jitter) {
        return new MesosClientConfig(master, min, max, jitter, heartbeatMissFactor, subscribeTimeout, requestTimeout,
                maxRecordBytes, trust);
    }

    public MesosClientConfig withHeartbeatMissFactor(int factor) {
        return new MesosClientConfig(master, backoffMin, backoffMax, backoffJitter, factor, subscribeTimeout,
                requestTimeout, maxRecordBytes, trust);
    }

    public MesosClientConfig withSubscribeTimeout(Duration timeout) {
        return new MesosClientConfig(master, backoffMin, backoffMax, backoffJitter, heartbeatMissFactor, timeout,
                requestTimeout, maxRecordBytes, trust);
    }

    public MesosClientConfig withRequestTimeout(Duration timeout) {
        return new MesosClientConfig(master, backoffMin, backoffMax, backoffJitter, heartbeatMissFactor,
                subscribeTimeout, timeout, maxRecordBytes, trust);
    }

    public MesosClientConfig withMaxRecordBytes(int max) {
        return new MesosClientConfig(master, backoffMin, backoffMax, backoffJitter, heartbeatMissFactor,
                subscribeTimeout, requestTimeout, max, trust);
    }

    /** The same settings, trusting {@code newTrust}'s CAs on https. */
    public MesosClientConfig withTrust(ClusterTrust newTrust) {
        return new MesosClientConfig(master, backoffMin, backoffMax, backoffJitter, heartbeatMissFactor,
                subscribeTimeout, requestTimeout, maxRecordBytes, newTrust);
    }

    /** {@code <master>/api/v1/scheduler}. */
    public URI schedulerEndpoint() {
        return Endpoints.schedulerEndpoint(master);
    }

    private static void requirePositive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + d);
        }
    }
}
