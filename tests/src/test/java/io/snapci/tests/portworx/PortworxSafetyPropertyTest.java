package io.snapci.tests.portworx;

import io.snapci.model.Source;
import io.snapci.scheduler.core.storage.Clone;
import io.snapci.scheduler.core.storage.StorageException;
import io.snapci.scheduler.portworx.Labels;
import io.snapci.scheduler.portworx.PortworxGarbageCollector;
import io.snapci.scheduler.portworx.RunLookup;
import io.snapci.scheduler.core.testkit.InMemoryScheduleStore;
import io.snapci.scheduler.core.schedule.Retention;
import io.snapci.scheduler.core.schedule.SnapshotSchedule;
import io.snapci.scheduler.portworx.schedule.SnapshotSchedules;
import io.snapci.scheduler.portworx.sdk.GrpcCode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The safety property, checked on random sequences of driver, GC and schedule calls with random faults (5xx, lost
 * answers, out of space, permission denied) and hostile inputs (copy records pointing at the source or at someone
 * else's volume, sources naming snapci's own volumes): no source or bystander volume is ever changed or deleted
 * (nothing in the peer's journal of changes names them), every volume handed to a task is a writable snapci clone,
 * and once the faults stop, deleting the listed copies and one GC pass leave nothing of snapci's behind.
 */
class PortworxSafetyPropertyTest {

    private static final List<String> RUNS = List.of("r1", "r2", "r3", "r4");

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 144, 233})
    void noSourceIsEverChangedAndNothingLeaks(long seed) throws Exception {
        Random random = new Random(seed);
        try (PortworxFixture px = new PortworxFixture()) {
            String bystander = px.peer.addVolume("billing-prod", Map.of("app", "billing"), 10L << 30);
            String sourceBefore = px.peer.stateOf(px.sourceId);
            String bystanderBefore = px.peer.stateOf(bystander);
            SnapshotSchedules schedules = new SnapshotSchedules(px.driver, new InMemoryScheduleStore(), px.clock);
            schedules.add(SnapshotSchedule.every("hourly", "cassandra-prod", Duration.ofHours(1),
                    new Retention(3, Duration.ofHours(5))));
            PortworxGarbageCollector gc = new PortworxGarbageCollector(px.driver, px.config,
                    run -> RunLookup.State.UNKNOWN, px.clock);
            List<Clone> handedOut = new ArrayList<>();

            for (int step = 0; step < 40; step++) {
                maybeInjectFault(random, px.peer);
                try {
                    switch (random.nextInt(9)) {
                        case 0, 1, 2 -> {
                            Clone c = px.driver.createClone(RUNS.get(random.nextInt(RUNS.size())), randomSource(random));
                            handedOut.add(c);
                            assertMountable(px, c);
                        }
                        case 3 -> {
                            if (!handedOut.isEmpty()) {
                                Clone c = handedOut.get(random.nextInt(handedOut.size()));
                                px.driver.deleteClone(c);
                                handedOut.remove(c);
                            }
                        }
                        case 4 -> px.driver.deleteClone(forged(random, px, bystander));
                        case 5 -> px.driver.listClones();
                        case 6 -> gc.collect();
                        case 7 -> schedules.tick();
                        default -> px.clock.advance(Duration.ofMinutes(random.nextInt(90)));
                    }
                } catch (StorageException expected) {
                    // refusals and injected faults are part of the game; the invariants below are what matters
                }
                assertThat(px.peer.stateOf(px.sourceId)).as("seed %d step %d", seed, step).isEqualTo(sourceBefore);
                assertThat(px.peer.stateOf(bystander)).isEqualTo(bystanderBefore);
                assertThat(px.peer.journal()).noneMatch(m -> m.target().equals(px.sourceId)
                        || m.target().equals(bystander));
            }

            px.peer.faults().clear();
            for (Clone c : px.driver.listClones()) {
                px.driver.deleteClone(c);
            }
            schedules.remove("hourly");
            px.clock.advance(Duration.ofHours(2));
            gc.collect();
            assertThat(px.peer.derivedVolumes()).as("only scheduled snapshots may stay")
                    .allSatisfy(id -> assertThat(px.peer.labelsOf(id)).containsKey(Labels.SCHEDULE));
        }
    }

    private static Source randomSource(Random random) {
        return switch (random.nextInt(6)) {
            case 0 -> null;
            case 1 -> Source.volume("cassandra-prod", Duration.ofMinutes(random.nextInt(120)));
            case 2 -> Source.volume(random.nextBoolean() ? "snapci-r1" : "snapci-r2-snap");
            case 3 -> Source.volume("no-such-volume");
            default -> Source.volume("cassandra-prod");
        };
    }

    /** A copy record a bug or a tampered store could produce: it names the source, a bystander, or a snapshot. */
    private static Clone forged(Random random, PortworxFixture px, String bystander) {
        List<String> derived = px.peer.derivedVolumes();
        String id = switch (random.nextInt(4)) {
            case 0 -> px.sourceId;
            case 1 -> bystander;
            case 2 -> "cassandra-prod";
            default -> derived.isEmpty() ? px.sourceId : derived.get(random.nextInt(derived.size()));
        };
        return new Clone(id, RUNS.get(random.nextInt(RUNS.size())), "cassandra-prod", null, "cassandra-prod",
                Instant.EPOCH, "forged");
    }

    private static void maybeInjectFault(Random random, OpenStorageSdkPeer peer) {
        if (random.nextInt(4) != 0) {
            return;
        }
        String[][] calls = {{"POST", "/v1/volumes/snapshots"}, {"POST", "/v1/volumes/clone"}, {"PUT", "/v1/volumes/"},
                {"DELETE", "/v1/volumes/"}, {"POST", "/v1/volumes/inspectwithfilters"}, {"GET", "/v1/volumes/inspect"}};
        String[] call = calls[random.nextInt(calls.length)];
        switch (random.nextInt(4)) {
            case 0 -> peer.faults().fail(call[0], call[1], 1 + random.nextInt(5), GrpcCode.UNAVAILABLE, "px restarting");
            case 1 -> peer.faults().loseAnswer(call[0], call[1], 1);
            case 2 -> peer.faults().fail(call[0], call[1], 1, GrpcCode.RESOURCE_EXHAUSTED, "no space left");
            default -> peer.faults().fail(call[0], call[1], 1, GrpcCode.PERMISSION_DENIED, "Access denied");
        }
    }

    private static void assertMountable(PortworxFixture px, Clone c) {
        String state = px.peer.stateOf(c.id());
        assertThat(c.volumeName()).isNotEqualTo("cassandra-prod").startsWith("snapci-");
        assertThat(state).contains("name=" + c.volumeName(), "readonly=false");
        assertThat(px.peer.labelsOf(c.id())).containsEntry(Labels.CREATED_BY, "snapci")
                .containsEntry(Labels.KIND, "clone").containsEntry(Labels.RUN, c.runId());
    }
}
