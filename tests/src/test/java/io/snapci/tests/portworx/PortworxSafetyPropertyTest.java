package io.snapci.tests.portworx;

import io.snapci.model.Source;
import io.snapci.scheduler.core.storage.Clone;
import io.snapci.scheduler.core.storage.StorageException;
import io.snapci.scheduler.portworx.BaseCopies;
import io.snapci.scheduler.portworx.BaseCopySchedule;
import io.snapci.scheduler.portworx.Labels;
import io.snapci.scheduler.portworx.PortworxGarbageCollector;
import io.snapci.scheduler.portworx.RunLookup;
import io.snapci.scheduler.core.schedule.Retention;
import io.snapci.scheduler.core.schedule.SnapshotSchedule;
import io.snapci.scheduler.portworx.schedule.SnapshotSchedules;
import io.snapci.scheduler.portworx.sdk.GrpcCode;
import io.snapci.scheduler.portworx.sdk.OpenStorageClient;
import io.snapci.scheduler.portworx.sdk.RetryPolicy;
import io.snapci.scheduler.portworx.sdk.SdkConfig;
import io.snapci.scheduler.portworx.sdk.SdkException;
import io.snapci.scheduler.portworx.sdk.VolumeSpec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.stream.LongStream;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The safety property, checked on random sequences of driver, GC and schedule calls with random faults (5xx, lost
 * answers, out of space as the SDK wraps it, permission denied), hostile inputs (copy records pointing at the source
 * or at someone else's volume, sources naming snapci's own volumes) and users who work beside snapci: they clone and
 * snapshot snapci's volumes (their copies inherit snapci's labels, as on Portworx), label volumes of their own with
 * snapci's labels, and squat a run's clone name; snapshot schedules and a CI-tier base copy schedule run beside
 * them, and runs with a maxAge clone the base copy. No source, bystander or user volume is ever updated, detached or
 * deleted (nothing in the peer's journal of changes names them), every volume handed to a task is a writable snapci
 * clone, and once the faults stop, deleting the listed copies and one GC pass leave nothing of snapci's behind but
 * scheduled snapshots and snapshots a user's copy is made from.
 *
 * <p>Out of the game: a user volume with exactly the name, shape and labels snapci gives its own (a clone of a
 * run's snapshot under the run's clone name, say) is indistinguishable from a crash's leftover and taken as
 * snapci's; users here name their volumes their own way.
 */
class PortworxSafetyPropertyTest {

    private static final List<String> RUNS = List.of("r1", "r2", "r3", "r4");

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void noForeignVolumeIsEverChangedAndNothingLeaks(long seed) throws Exception {
        Random random = new Random(seed);
        try (PortworxFixture px = new PortworxFixture()) {
            if (random.nextBoolean()) {
                px.peer.withoutAdditionalLabels(); // a server before SDK 0.95: labels come with the update only
            }
            String bystander = px.peer.addVolume("billing-prod", Map.of("app", "billing"), 10L << 30);
            String sourceBefore = px.peer.stateOf(px.sourceId);
            String bystanderBefore = px.peer.stateOf(bystander);
            OpenStorageClient user = new OpenStorageClient(SdkConfig.of(px.peer.endpoint())
                    .withRetry(RetryPolicy.none()), d -> { });
            Set<String> foreign = new HashSet<>(List.of(px.sourceId, bystander));
            SnapshotSchedules schedules = px.schedules(SnapshotSchedule.every("hourly", "cassandra-prod",
                    Duration.ofHours(1), new Retention(3, Duration.ofHours(5))));
            PortworxGarbageCollector gc = new PortworxGarbageCollector(px.driver, px.config,
                    run -> RunLookup.State.UNKNOWN, px.clock);
            BaseCopies bases = new BaseCopies(px.driver, List.of(new BaseCopySchedule("shop", "cassandra-prod",
                    Duration.ofHours(1), 1)), px.clock);
            List<Clone> handedOut = new ArrayList<>();

            for (int step = 0; step < 60; step++) {
                maybeInjectFault(random, px.peer);
                try {
                    switch (random.nextInt(12)) {
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
                        case 7 -> {
                            schedules.tick();
                            bases.tick();
                        }
                        case 8, 9 -> usersWork(random, px, user, step).ifPresent(foreign::add);
                        case 10 -> {
                            // a container somewhere mounts a writable volume, a run's or a user's; an agent dies
                            // (a base copy in use is kept by retention: mounting one is not part of the game)
                            List<String> writable = px.peer.derivedVolumes().stream()
                                    .filter(id -> px.peer.stateOf(id).contains("readonly=false")
                                            && !px.peer.stateOf(id).contains("name=snapci-base-")).toList();
                            if (!writable.isEmpty()) {
                                px.peer.attachOn(writable.get(random.nextInt(writable.size())), "ci-1");
                            }
                            px.driver.releaseForAnotherNode(forged(random, px, bystander));
                        }
                        default -> px.clock.advance(Duration.ofMinutes(random.nextInt(90)));
                    }
                } catch (StorageException expected) {
                    // refusals and injected faults are part of the game; the invariants below are what matters
                }
                foreign.addAll(usersVolumes(px)); // also those whose answer a fault lost
                assertThat(px.peer.stateOf(px.sourceId)).as("seed %d step %d", seed, step).isEqualTo(sourceBefore);
                assertThat(px.peer.stateOf(bystander)).isEqualTo(bystanderBefore);
                assertThat(px.peer.journal()).as("seed %d step %d: a change named a foreign volume", seed, step)
                        .noneMatch(m -> changes(m) && foreign.contains(m.target()));
            }

            px.peer.faults().clear();
            for (Clone c : px.driver.listClones()) {
                px.driver.deleteClone(c);
            }
            schedules.remove("hourly");
            px.clock.advance(Duration.ofHours(2));
            gc.collect();
            new BaseCopies(px.driver, List.of(), px.clock).tick(); // the base copy schedule removed: retired
            assertThat(px.peer.journal()).noneMatch(m -> changes(m) && foreign.contains(m.target()));
            assertThat(foreign).allSatisfy(id -> assertThat(px.peer.stateOf(id)).as("seed %d", seed).isNotNull());
            Set<String> parentsOfForeign = new HashSet<>(); // and their parents: what a user's copy is made from
            List<String> todo = new ArrayList<>(foreign);
            while (!todo.isEmpty()) {
                String state = px.peer.stateOf(todo.remove(todo.size() - 1));
                String parent = state == null ? "null" : state.replaceAll(".* parent=(\\S+) .*", "$1");
                if (!parent.equals("null") && parentsOfForeign.add(parent)) {
                    todo.add(parent);
                }
            }
            assertThat(px.peer.derivedVolumes()).as("seed %d: nothing of snapci's leaks", seed)
                    .filteredOn(id -> !foreign.contains(id))
                    .allSatisfy(id -> assertThat(px.peer.labelsOf(id).containsKey(Labels.SCHEDULE)
                            || parentsOfForeign.contains(id)).as("%s", px.peer.stateOf(id)).isTrue());
        }
    }

    /** Every volume a user made: named user-*, or a plain squatter of a run's clone name. */
    private static List<String> usersVolumes(PortworxFixture px) {
        return px.peer.volumeIds().stream().filter(id -> {
            String state = px.peer.stateOf(id);
            return state.contains(" name=user-") || state.matches(".* name=snapci-r[0-9] parent=null .* labels=\\{\\} .*");
        }).toList();
    }

    /** An update, detach or delete: what snapci must never do to a foreign volume (a user's own creates aside). */
    private static boolean changes(OpenStorageSdkPeer.Mutation m) {
        return m.method().equals("PUT") || m.method().equals("DELETE") || m.path().equals("/v1/mountattach/detach");
    }

    /**
     * 12 seeds in the suite; a longer soak with {@code -Dsnapci.soak.seeds=200} (each seed is a few hundred SDK calls
     * over loopback HTTP: the suite keeps to its time budget, the soak finds the rare interleavings).
     */
    static LongStream seeds() {
        return LongStream.rangeClosed(1, Long.getLong("snapci.soak.seeds", 12)).map(i -> i * 7919 + 13);
    }

    /**
     * What a user does beside snapci: clone or snapshot one of the derived volumes (snapci's or a user's; the copy
     * inherits its labels), make a volume of their own with labels copied from one of snapci's, or squat a run's
     * clone name with a plain volume. Returns the user's new volume.
     */
    private static Optional<String> usersWork(Random random, PortworxFixture px, OpenStorageClient user, int step) {
        List<String> derived = px.peer.derivedVolumes();
        try {
            switch (random.nextInt(4)) {
                case 0 -> {
                    return derived.isEmpty() ? Optional.empty()
                            : Optional.of(user.clone("user-clone-" + step, derived.get(random.nextInt(derived.size()))));
                }
                case 1 -> {
                    return derived.isEmpty() ? Optional.empty() : Optional.of(user.snapshotCreate(
                            derived.get(random.nextInt(derived.size())), "user-snap-" + step, Map.of()));
                }
                case 2 -> {
                    Map<String, String> labels = derived.isEmpty() ? Map.of(Labels.CREATED_BY, "snapci", Labels.KIND,
                            "clone", Labels.RUN, "r1") : px.peer.labelsOf(derived.get(random.nextInt(derived.size())));
                    return Optional.of(user.create("user-lookalike-" + step, new VolumeSpec(1L << 30, 1L, null, null,
                            null), labels));
                }
                default -> {
                    String name = "snapci-" + RUNS.get(random.nextInt(RUNS.size()));
                    return px.peer.idOfName(name) != null ? Optional.empty()
                            : Optional.of(user.create(name, new VolumeSpec(1L << 30, 1L, null, null, null), Map.of()));
                }
            }
        } catch (SdkException e) {
            return Optional.empty(); // a fault hit the user too
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
                {"DELETE", "/v1/volumes/"}, {"POST", "/v1/volumes/inspectwithfilters"}, {"GET", "/v1/volumes/inspect"},
                {"POST", "/v1/mountattach/detach"}, {"GET", "/v1/volumes/snapshots"}};
        String[] call = calls[random.nextInt(calls.length)];
        switch (random.nextInt(5)) {
            case 0 -> peer.faults().fail(call[0], call[1], 1 + random.nextInt(5), GrpcCode.UNAVAILABLE, "px restarting");
            case 1 -> peer.faults().loseAnswer(call[0], call[1], 1 + random.nextInt(2));
            case 2 -> peer.faults().driverFails(List.of("snapshot", "clone", "create").get(random.nextInt(3)), 1,
                    "not enough space in storage pool (no space left on device)");
            case 3 -> peer.faults().fail(call[0], call[1], 1, GrpcCode.INTERNAL, "kvdb: etcd unavailable");
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
