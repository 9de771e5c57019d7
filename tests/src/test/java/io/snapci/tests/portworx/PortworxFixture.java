package io.snapci.tests.portworx;

import io.snapci.scheduler.core.schedule.Retention;
import io.snapci.scheduler.core.schedule.SnapshotSchedule;
import io.snapci.scheduler.core.testkit.InMemoryScheduleStore;
import io.snapci.scheduler.core.testkit.MutableClock;

import io.snapci.scheduler.portworx.CiTier;
import io.snapci.scheduler.portworx.PortworxConfig;
import io.snapci.scheduler.portworx.PortworxDriver;
import io.snapci.scheduler.portworx.schedule.SnapshotSchedules;
import io.snapci.scheduler.portworx.sdk.OpenStorageClient;
import io.snapci.scheduler.portworx.sdk.RetryPolicy;
import io.snapci.scheduler.portworx.sdk.SdkConfig;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/** A peer with a production volume and CI nodes, and a driver on it with fast retries and a hand-moved clock. */
final class PortworxFixture implements AutoCloseable {

    final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T10:00:00Z"));
    final OpenStorageSdkPeer peer;
    final String sourceId;
    final PortworxConfig config;
    final PortworxDriver driver;

    PortworxFixture() throws Exception {
        this(new CiTier("LOW", "IO_PROFILE_SEQUENTIAL", Map.of("snapci/tier", "ci"), Map.of()));
    }

    PortworxFixture(CiTier tier) throws Exception {
        peer = new OpenStorageSdkPeer(clock);
        sourceId = peer.addVolume("cassandra-prod", Map.of("app", "shop"), 50L << 30);
        peer.addNode("prod-1", Map.of("snapci/tier", "prod"), Map.of());
        peer.addNode("ci-1", Map.of("snapci/tier", "ci"), Map.of("media", "hdd"));
        peer.addNode("ci-2", Map.of("snapci/tier", "ci"), Map.of("media", "hdd"));
        SdkConfig sdk = SdkConfig.of(peer.endpoint()).withTimeouts(Duration.ofSeconds(2), Duration.ofMillis(500))
                .withRetry(new RetryPolicy(4, Duration.ofMillis(1), Duration.ofMillis(5)));
        config = PortworxConfig.of(sdk).withTier(tier).withGcGrace(Duration.ofMinutes(30));
        driver = new PortworxDriver(config, new OpenStorageClient(sdk, d -> { }), clock);
    }

    /** The source's state and every change that named it: must stay as it was. */
    String sourceState() {
        return peer.stateOf(sourceId) + " mutations=" + peer.journal().stream()
                .filter(m -> m.target().equals(sourceId) || m.target().endsWith("->" + sourceId)).toList();
    }

    /** Snapshot schedules on this driver and clock, kept in memory (a fresh store each call), holding {@code added}. */
    SnapshotSchedules schedules(SnapshotSchedule... added) {
        SnapshotSchedules schedules = new SnapshotSchedules(driver, new InMemoryScheduleStore(), clock);
        for (SnapshotSchedule schedule : added) {
            schedules.add(schedule);
        }
        return schedules;
    }

    /** An hourly schedule {@code hourly} of the production volume that keeps its last {@code keepLast} snapshots. */
    static SnapshotSchedule hourly(int keepLast) {
        return SnapshotSchedule.every("hourly", "cassandra-prod", Duration.ofHours(1), new Retention(keepLast, null));
    }

    @Override
    public void close() {
        peer.close();
    }
}
