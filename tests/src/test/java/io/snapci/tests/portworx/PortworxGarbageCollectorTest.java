package io.snapci.tests.portworx;

import io.snapci.model.Source;
import io.snapci.scheduler.core.storage.Clone;
import io.snapci.scheduler.portworx.GcReport;
import io.snapci.scheduler.portworx.Labels;
import io.snapci.scheduler.portworx.PortworxGarbageCollector;
import io.snapci.scheduler.portworx.PortworxDriver;
import io.snapci.scheduler.portworx.RunLookup;
import io.snapci.scheduler.portworx.sdk.OpenStorageClient;
import io.snapci.scheduler.portworx.sdk.SdkConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * GC after a simulated scheduler crash: copies made by a driver whose process then "died" (no deleteClone) are
 * found by their labels and deleted once their run is finished or unknown and the grace period has passed; an
 * active run's copy and anything not snapci's stay.
 */
class PortworxGarbageCollectorTest {

    private PortworxFixture px;
    private final Map<String, RunLookup.State> runs = new HashMap<>();
    private PortworxGarbageCollector gc;

    @BeforeEach
    void setUp() throws Exception {
        px = new PortworxFixture();
        gc = new PortworxGarbageCollector(px.driver, px.config,
                run -> runs.getOrDefault(run, RunLookup.State.UNKNOWN), px.clock);
    }

    @AfterEach
    void tearDown() {
        px.close();
    }

    @Test
    void afterACrashFinishedAndUnknownRunsCopiesGoAfterTheGraceAndActiveOnesStay() throws Exception {
        String before = px.sourceState();
        px.driver.createClone("r-finished", Source.volume("cassandra-prod"));
        px.driver.createClone("r-unknown", Source.volume("cassandra-prod"));
        Clone active = px.driver.createClone("r-active", Source.volume("cassandra-prod"));
        String bystander = px.peer.addVolume("someone-elses", Map.of("created-by", "someone"), 1L << 30);
        runs.put("r-finished", RunLookup.State.FINISHED);
        runs.put("r-active", RunLookup.State.ACTIVE);

        // a new scheduler process: a fresh driver and collector, nothing in memory
        PortworxDriver restarted = new PortworxDriver(px.config, new OpenStorageClient(SdkConfig.of(px.peer.endpoint()),
                d -> { }), px.clock);
        PortworxGarbageCollector afterRestart = new PortworxGarbageCollector(restarted, px.config,
                run -> runs.getOrDefault(run, RunLookup.State.UNKNOWN), px.clock);

        GcReport early = afterRestart.collect();
        assertThat(early.deleted()).as("within the grace period nothing goes").isEmpty();

        px.clock.advance(Duration.ofMinutes(31));
        GcReport report = afterRestart.collect();
        assertThat(report.deleted()).containsExactlyInAnyOrder("snapci-r-finished", "snapci-r-finished-snap",
                "snapci-r-unknown", "snapci-r-unknown-snap");
        assertThat(report.failures()).isEmpty();
        assertThat(report.collected()).as("each with the run that left it, for the audit log")
                .containsExactlyInAnyOrder(new GcReport.Collected("snapci-r-finished", "r-finished", false),
                        new GcReport.Collected("snapci-r-finished-snap", "r-finished", true),
                        new GcReport.Collected("snapci-r-unknown", "r-unknown", false),
                        new GcReport.Collected("snapci-r-unknown-snap", "r-unknown", true));
        assertThat(restarted.listClones()).extracting(Clone::id).containsExactly(active.id());
        assertThat(px.peer.stateOf(bystander)).isNotNull();
        assertThat(px.sourceState()).isEqualTo(before);

        runs.put("r-active", RunLookup.State.FINISHED);
        assertThat(afterRestart.collect().deleted()).containsExactlyInAnyOrder("snapci-r-active",
                "snapci-r-active-snap");
        assertThat(px.peer.derivedVolumes()).isEmpty();
    }

    @Test
    void aCloneLeftUnlabelledByACrashBetweenCloneAndLabelIsFoundAndDeleted() throws Exception {
        // the crash, on a server that ignores additional_labels: the clone call succeeded, the label update never came
        px.peer.withoutAdditionalLabels();
        px.peer.faults().fail("PUT", "/v1/volumes/", 100, io.snapci.scheduler.portworx.sdk.GrpcCode.UNAVAILABLE,
                "scheduler died");
        px.peer.faults().fail("DELETE", "/v1/volumes/", 100,
                io.snapci.scheduler.portworx.sdk.GrpcCode.UNAVAILABLE, "scheduler died");
        try {
            px.driver.createClone("r1", Source.volume("cassandra-prod"));
        } catch (Exception expected) {
            // the run failed and could not clean up
        }
        px.peer.faults().clear();
        String orphan = px.peer.idOfName("snapci-r1");
        assertThat(orphan).isNotNull();
        assertThat(px.peer.labelsOf(orphan)).as("only what it inherited from the run's snapshot")
                .containsEntry(Labels.KIND, "snapshot").containsEntry(Labels.RUN, "r1");

        px.clock.advance(Duration.ofHours(1));
        GcReport report = gc.collect();
        assertThat(report.deleted()).containsExactlyInAnyOrder("snapci-r1", "snapci-r1-snap");
        assertThat(px.peer.derivedVolumes()).isEmpty();
    }

    @Test
    void aRunSnapshotSomeoneElseClonedIsKeptAndReported() throws Exception {
        px.driver.createClone("r1", Source.volume("cassandra-prod"));
        String snap = px.peer.idOfName("snapci-r1-snap");
        px.peer.plant("analytics-copy", snap, false, Map.of(), px.clock.instant());
        px.clock.advance(Duration.ofHours(1));

        GcReport report = gc.collect();
        assertThat(report.deleted()).containsExactly("snapci-r1");
        assertThat(report.failures()).singleElement().asString().contains("snapci-r1-snap", "dependent");
        assertThat(px.peer.stateOf(snap)).isNotNull();
    }
}
