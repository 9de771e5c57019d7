package io.snapci.tests.bench;

import io.snapci.model.Source;
import io.snapci.scheduler.core.storage.Clone;
import io.snapci.scheduler.portworx.BaseCopies;
import io.snapci.scheduler.portworx.BaseCopySchedule;
import io.snapci.scheduler.portworx.CiTier;
import io.snapci.scheduler.portworx.GcReport;
import io.snapci.scheduler.portworx.Labels;
import io.snapci.scheduler.portworx.PortworxConfig;
import io.snapci.scheduler.portworx.PortworxDriver;
import io.snapci.scheduler.portworx.PortworxGarbageCollector;
import io.snapci.scheduler.portworx.RunLookup;
import io.snapci.scheduler.core.testkit.InMemoryScheduleStore;
import io.snapci.scheduler.core.schedule.Retention;
import io.snapci.scheduler.core.schedule.SnapshotSchedule;
import io.snapci.scheduler.portworx.schedule.SnapshotSchedules;
import io.snapci.scheduler.portworx.sdk.OpenStorageClient;
import io.snapci.scheduler.portworx.sdk.SdkConfig;
import io.snapci.scheduler.core.testkit.MutableClock;
import io.snapci.tests.portworx.OpenStorageSdkPeer;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Driver overhead per run against the OpenStorage SDK peer (HTTP over loopback), with 0 ms and 20 ms injected
 * latency per call: SDK calls and wall time for create + delete, and how many replica moves to the CI tier (each a
 * background copy of the whole volume on production's pools) a run causes — for a direct run (a snapshot taken for
 * it), a run reusing a scheduled snapshot, and a run cloning a CI-tier base copy. Then one GC pass over 10,000
 * labelled volumes: a pass that deletes nothing, and one that deletes them all.
 * Usage: {@code bench/run portworx [runs]}.
 */
public final class PortworxBenchmark {

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        System.out.println("| injected latency | data | SDK calls per run (create + delete) | replica moves per run"
                + " | create median | create p90 | delete median |");
        System.out.println("| --- | --- | --- | --- | --- | --- | --- |");
        for (long latency : new long[]{0, 20}) {
            for (Data data : Data.values()) {
                perRun(latency, runs, data);
            }
        }
        System.out.println();
        gc(10_000);
    }

    /** Where a run's data comes from. */
    private enum Data {
        DIRECT("direct: snapshot taken for the run"),
        SCHEDULED("direct: reused scheduled snapshot"),
        BASE("CI-tier base copy");

        final String label;

        Data(String label) {
            this.label = label;
        }
    }

    private static void perRun(long latencyMs, int runs, Data data) throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-11-25T10:00:00Z"));
        try (OpenStorageSdkPeer peer = new OpenStorageSdkPeer(clock)) {
            peer.addVolume("cassandra-prod", Map.of(), 100L << 30);
            peer.addNode("ci-1", Map.of("tier", "ci"), Map.of());
            peer.addNode("ci-2", Map.of("tier", "ci"), Map.of());
            SdkConfig sdk = SdkConfig.of(peer.endpoint());
            OpenStorageClient client = new OpenStorageClient(sdk);
            PortworxDriver driver = new PortworxDriver(PortworxConfig.of(sdk)
                    .withTier(new CiTier("LOW", "IO_PROFILE_SEQUENTIAL", Map.of("tier", "ci"), Map.of())), client, clock);
            Source source = data == Data.DIRECT ? Source.volume("cassandra-prod")
                    : Source.volume("cassandra-prod", Duration.ofHours(1));
            if (data == Data.BASE) {
                new BaseCopies(driver, List.of(new BaseCopySchedule("shop", "cassandra-prod", Duration.ofHours(1), 2)),
                        clock).tick();
            }
            if (data == Data.SCHEDULED) {
                SnapshotSchedules schedules = new SnapshotSchedules(driver, new InMemoryScheduleStore(), clock);
                schedules.add(SnapshotSchedule.every("hourly", "cassandra-prod", Duration.ofHours(1),
                        new Retention(3, null)));
                schedules.tick();
            }
            driver.deleteClone(driver.createClone("warmup", source)); // JIT, connection, node cache
            peer.faults().latency(Duration.ofMillis(latencyMs));
            List<Long> creates = new ArrayList<>();
            List<Long> deletes = new ArrayList<>();
            long calls0 = client.requestCount();
            long moves0 = replicaMoves(peer);
            for (int i = 0; i < runs; i++) {
                long t0 = System.nanoTime();
                Clone clone = driver.createClone("r" + i, source);
                long t1 = System.nanoTime();
                driver.deleteClone(clone);
                long t2 = System.nanoTime();
                creates.add(t1 - t0);
                deletes.add(t2 - t1);
            }
            double calls = (client.requestCount() - calls0) / (double) runs;
            double moves = (replicaMoves(peer) - moves0) / (double) runs;
            System.out.printf("| %d ms | %s | %.1f | %.1f | %s | %s | %s |%n", latencyMs, data.label, calls, moves,
                    ms(median(creates)), ms(p90(creates)), ms(median(deletes)));
        }
    }

    private static void gc(int volumes) throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-11-25T10:00:00Z"));
        try (OpenStorageSdkPeer peer = new OpenStorageSdkPeer(clock)) {
            String source = peer.addVolume("cassandra-prod", Map.of(), 100L << 30);
            for (int i = 0; i < volumes / 2; i++) {
                String run = "r" + i;
                String snap = peer.plant("snapci-" + run + "-snap", source, true, Map.of(Labels.CREATED_BY, "snapci",
                        Labels.KIND, "snapshot", Labels.RUN, run, Labels.SOURCE, source), clock.instant());
                peer.plant("snapci-" + run, snap, false, Map.of(Labels.CREATED_BY, "snapci", Labels.KIND, "clone",
                        Labels.RUN, run, Labels.SOURCE, source, Labels.SNAPSHOT, snap), clock.instant());
            }
            clock.advance(Duration.ofHours(2));
            SdkConfig sdk = SdkConfig.of(peer.endpoint());
            OpenStorageClient client = new OpenStorageClient(sdk);
            PortworxConfig config = PortworxConfig.of(sdk);
            PortworxDriver driver = new PortworxDriver(config, client, clock);
            List<RunLookup.State> state = new ArrayList<>(List.of(RunLookup.State.ACTIVE));
            PortworxGarbageCollector gc = new PortworxGarbageCollector(driver, config, run -> state.get(0), clock);

            gc.collect(); // warm-up scan
            long c0 = client.requestCount();
            long t0 = System.nanoTime();
            GcReport scan = gc.collect();
            long t1 = System.nanoTime();
            long c1 = client.requestCount();
            state.set(0, RunLookup.State.FINISHED);
            GcReport sweep = gc.collect();
            long t2 = System.nanoTime();
            long c2 = client.requestCount();
            System.out.println("| GC pass over " + volumes + " labelled volumes | SDK calls | wall time |");
            System.out.println("| --- | --- | --- |");
            System.out.printf("| all runs active: examined %d, deleted %d | %d | %s |%n", scan.examined(),
                    scan.deleted().size(), c1 - c0, ms(t1 - t0));
            System.out.printf("| all runs finished: examined %d, deleted %d | %d | %s |%n", sweep.examined(),
                    sweep.deleted().size(), c2 - c1, ms(t2 - t1));
        }
    }

    /** Spec updates the driver sent: each moves a clone's replicas to the CI tier (the fixture's tier places them). */
    private static long replicaMoves(OpenStorageSdkPeer peer) {
        return peer.journal().stream().filter(m -> m.method().equals("PUT")).count();
    }

    private static long median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }

    private static long p90(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(sorted.size() * 0.9) - 1));
    }

    private static String ms(long nanos) {
        return nanos >= 10_000_000_000L ? String.format("%.1f s", nanos / 1e9) : String.format("%.1f ms", nanos / 1e6);
    }
}
