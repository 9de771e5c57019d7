package io.snapci.tests.portworx;

import io.snapci.scheduler.core.testkit.MutableClock;

import io.snapci.model.Source;
import io.snapci.scheduler.core.storage.Clone;
import io.snapci.scheduler.core.storage.SnapshotDriver;
import io.snapci.scheduler.portworx.PortworxConfig;
import io.snapci.scheduler.portworx.PortworxDriver;
import io.snapci.scheduler.portworx.sdk.OpenStorageClient;
import io.snapci.scheduler.portworx.sdk.SdkConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import java.time.Instant;
import java.util.Map;

/** The driver contract on the Portworx driver, over HTTP to the OpenStorage SDK peer. */
class PortworxDriverContractTest extends SnapshotDriverContract {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T10:00:00Z"));
    private OpenStorageSdkPeer peer;
    private PortworxDriver driver;
    private String sourceId;

    @BeforeEach
    void setUp() throws Exception {
        peer = new OpenStorageSdkPeer(clock);
        sourceId = peer.addVolume("cassandra-prod", Map.of("app", "shop"), 50L << 30);
        SdkConfig sdk = SdkConfig.of(peer.endpoint());
        driver = new PortworxDriver(PortworxConfig.of(sdk), new OpenStorageClient(sdk, d -> { }), clock);
    }

    @AfterEach
    void tearDown() {
        peer.close();
    }

    @Override
    SnapshotDriver driver() {
        return driver;
    }

    @Override
    Source source() {
        return Source.volume("cassandra-prod");
    }

    @Override
    Source missingSource() {
        return Source.volume("no-such-volume");
    }

    @Override
    Source wrongKindSource() {
        return Source.dataDir("/var/lib/cassandra");
    }

    @Override
    Clone forgedCloneOfSource(String runId) {
        return new Clone(sourceId, runId, "cassandra-prod", null, "cassandra-prod", Instant.EPOCH, "forged");
    }

    @Override
    String sourceState() {
        return peer.stateOf(sourceId) + " mutations=" + peer.journal().stream()
                .filter(m -> m.target().equals(sourceId)).toList();
    }
}
