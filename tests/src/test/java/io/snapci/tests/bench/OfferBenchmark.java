package io.snapci.tests.bench;

import io.snapci.model.RunSpec;
import io.snapci.model.RunStatus;
import io.snapci.model.Source;
import io.snapci.scheduler.core.launch.LaunchListener;
import io.snapci.scheduler.mesos.launch.MesosLaunchConfig;
import io.snapci.scheduler.mesos.launch.MesosLauncher;
import io.snapci.scheduler.mesos.launch.OfferMatcher;
import io.snapci.scheduler.mesos.launch.TaskGroupFactory;
import io.snapci.scheduler.mesos.launch.TestsReports;
import io.snapci.scheduler.core.launch.DeclineReasons;
import io.snapci.scheduler.mesos.offer.OfferEvaluator;
import io.snapci.scheduler.mesos.offer.OfferEvaluatorConfig;
import io.snapci.scheduler.core.testkit.InMemoryFrameworkIdStore;
import io.snapci.scheduler.core.storage.Clone;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.Attribute;
import org.apache.mesos.v1.Protos.DurationInfo;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.OfferID;
import org.apache.mesos.v1.Protos.Resource;
import org.apache.mesos.v1.Protos.TimeInfo;
import org.apache.mesos.v1.Protos.Unavailability;
import org.apache.mesos.v1.Protos.Value;
import org.apache.mesos.v1.scheduler.Protos.Call;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.IntStream;

/**
 * The offer evaluator on a cluster of 1,000 agents with 5,000 queued runs (or as many as the first argument says):
 * (1) evaluation throughput on one thread (offers per second through {@code match});
 * (2) the latency from offers reaching a real {@link MesosLauncher} (this evaluator, the real TaskGroupFactory, a
 * recording CallSender) to the ACCEPT call leaving it.
 * The cluster is a fixed-seed mix: ~30% {@code tier:ci}, varied cpus / memory / port ranges, ~10% allocated to
 * another role, ~3% going into maintenance. Not a test: run it with {@code bench/run offers [runs]}.
 */
public final class OfferBenchmark {

    private static final int AGENTS = 1000;
    private static int RUNS = 5000;
    private static final String ROLE = "snapci";
    /** The package's defaults (serve's configuration table). */
    private static final MesosLaunchConfig LAUNCH = io.snapci.server.mesos.MesosSettings.launch(
            io.snapci.server.config.ServeConfigLoader.load(null, Map.of(), Map.of("mode", "mesos",
                    "mesos.master", "http://leader.mesos:5050", "zk.url", "zk://127.0.0.1:2181/snapci",
                    "portworx.endpoint", "http://127.0.0.1:9021", "mesos.executorUri", "http://snapci/executor.tgz"))
                    .cluster());

    public static void main(String[] args) {
        if (args.length > 0) {
            RUNS = Integer.parseInt(args[0]);
        }
        Clock clock = Clock.systemUTC();
        List<Offer> offers = cluster(new Random(42), clock.instant());
        List<String> runs = IntStream.range(0, RUNS).mapToObj(i -> "run-" + i).toList();
        describe(offers, clock);

        System.out.println();
        System.out.println("## (1) evaluation throughput, one thread: match(" + RUNS + " runs, " + AGENTS + " offers)");
        System.out.println("| config | runs placed | time per match (median) | offers/s (median of 9 rounds) |");
        System.out.println("| --- | --- | --- | --- |");
        throughput("tier:ci, [hostname, MAX_PER, 2], [rack, UNLIKE, rack-9], 1 run per offer", config(1), offers, runs, clock);
        throughput("same, up to 4 runs per offer", config(4), offers, runs, clock);
        throughput("same, no constraints, 1 run per offer", config(1).withoutConstraints(), offers, runs, clock);

        System.out.println();
        System.out.println("## (2) offers → ACCEPT through a real MesosLauncher with " + RUNS + " waiting runs");
        latencyOfBatches(offers, clock);
        latencyOfSingleOffers(offers, clock);
    }

    // ---- the cluster --------------------------------------------------------------------------------------------

    private static List<Offer> cluster(Random random, Instant now) {
        int[] cpus = {2, 4, 8, 16, 32};
        int[] memMb = {2048, 4096, 8192, 16384, 32768, 65536};
        List<Offer> offers = new ArrayList<>();
        for (int i = 0; i < AGENTS; i++) {
            String role = random.nextDouble() < 0.10 ? "analytics" : ROLE;
            String tier = random.nextDouble() < 0.30 ? "ci" : random.nextBoolean() ? "hdd" : "ssd";
            Offer.Builder offer = Offer.newBuilder()
                    .setId(OfferID.newBuilder().setValue("offer-" + i))
                    .setFrameworkId(FrameworkID.newBuilder().setValue("fw-bench"))
                    .setAgentId(AgentID.newBuilder().setValue("agent-" + i))
                    .setHostname("node-" + i + ".dc1")
                    .addResources(scalar("cpus", cpus[random.nextInt(cpus.length)] * 0.75, role))
                    .addResources(scalar("mem", memMb[random.nextInt(memMb.length)] * 0.8, role))
                    .addResources(scalar("disk", 100_000, role))
                    .addResources(ports(random, role))
                    .addAttributes(text("tier", tier))
                    .addAttributes(text("rack", "rack-" + random.nextInt(10)))
                    .addAttributes(Attribute.newBuilder().setName("cores").setType(Value.Type.SCALAR)
                            .setScalar(Value.Scalar.newBuilder().setValue(cpus[random.nextInt(cpus.length)])));
            if (random.nextDouble() < 0.03) {
                Instant start = now.plus(Duration.ofMinutes(random.nextInt(90)));
                offer.setUnavailability(Unavailability.newBuilder()
                        .setStart(TimeInfo.newBuilder().setNanoseconds(start.toEpochMilli() * 1_000_000L))
                        .setDuration(DurationInfo.newBuilder().setNanoseconds(Duration.ofHours(1).toNanos())));
            }
            offers.add(offer.build());
        }
        return offers;
    }

    private static Resource scalar(String name, double value, String role) {
        return Resource.newBuilder().setName(name).setType(Value.Type.SCALAR)
                .setScalar(Value.Scalar.newBuilder().setValue(value))
                .setAllocationInfo(Resource.AllocationInfo.newBuilder().setRole(role)).build();
    }

    /** One to three ranges, sometimes only a single port (not enough for a run). */
    private static Resource ports(Random random, String role) {
        Value.Ranges.Builder ranges = Value.Ranges.newBuilder();
        long begin = 31000;
        int count = 1 + random.nextInt(3);
        for (int r = 0; r < count; r++) {
            begin += random.nextInt(200);
            long length = random.nextDouble() < 0.05 ? 0 : random.nextInt(100);
            ranges.addRange(Value.Range.newBuilder().setBegin(begin).setEnd(begin + length));
            begin += length + 2;
        }
        return Resource.newBuilder().setName("ports").setType(Value.Type.RANGES).setRanges(ranges)
                .setAllocationInfo(Resource.AllocationInfo.newBuilder().setRole(role)).build();
    }

    private static Attribute text(String name, String value) {
        return Attribute.newBuilder().setName(name).setType(Value.Type.TEXT)
                .setText(Value.Text.newBuilder().setValue(value)).build();
    }

    private static Config config(int runsPerOffer) {
        return new Config(runsPerOffer, List.of(List.of("hostname", "MAX_PER", "2"), List.of("rack", "UNLIKE", "rack-9")));
    }

    private record Config(int runsPerOffer, List<List<String>> constraints) {
        Config withoutConstraints() {
            return new Config(runsPerOffer, List.of());
        }

        OfferEvaluator evaluator(Clock clock) {
            return new OfferEvaluator(OfferEvaluatorConfig.forLaunch(LAUNCH, List.of("tier:ci"), constraints,
                    Duration.ofHours(2)).withMaxRunsPerOffer(runsPerOffer), new DeclineReasons(1000), clock);
        }
    }

    private static void describe(List<Offer> offers, Clock clock) {
        OfferMatcher.Matches m = config(1).evaluator(clock).match(List.of("probe"), offers);
        OfferEvaluator all = config(1).evaluator(clock);
        // One run per evaluation, every offer looked at: what each agent would be declined for.
        Map<String, Integer> kinds = new TreeMap<>();
        for (Offer offer : offers) {
            OfferMatcher.Matches one = all.match(List.of("probe"), List.of(offer));
            all.released("probe");
            List<DeclineReasons.Entry> recent = all.declineReasons().snapshot().recent();
            String kind = one.matches().isEmpty() ? recent.get(recent.size() - 1).kind() : "fits";
            kinds.merge(kind, 1, Integer::sum);
        }
        System.out.println("cluster: " + AGENTS + " agents, each alone against one run: " + kinds);
        System.out.println("example reasons: " + m.declined().stream().limit(3).map(OfferMatcher.Declined::reason).toList());
    }

    // ---- (1) throughput -----------------------------------------------------------------------------------------

    private static void throughput(String label, Config config, List<Offer> offers, List<String> runs, Clock clock) {
        int perRound = 40;
        int placed = 0;
        for (int i = 0; i < 300; i++) {  // warm-up: JIT
            placed = config.evaluator(clock).match(runs, offers).matches().size();
        }
        List<Long> perMatch = new ArrayList<>();
        for (int round = 0; round < 9; round++) {
            List<OfferEvaluator> evaluators = new ArrayList<>();
            for (int i = 0; i < perRound; i++) {
                evaluators.add(config.evaluator(clock));  // fresh: no runs placed from an earlier round
            }
            long start = System.nanoTime();
            for (OfferEvaluator evaluator : evaluators) {
                evaluator.match(runs, offers);
            }
            perMatch.add((System.nanoTime() - start) / perRound);
        }
        long median = median(perMatch);
        System.out.printf("| %s | %d | %.2f ms | %,.0f |%n", label, placed, median / 1e6, AGENTS / (median / 1e9));
    }

    // ---- (2) latency through the launcher -----------------------------------------------------------------------

    /** A recording CallSender: when the first ACCEPT and the last call of an offers() arrived. */
    private static final class Recorder {
        long firstAccept;
        long lastCall;
        int accepts;
        int declines;

        void send(Call call) {
            long now = System.nanoTime();
            if (call.getType() == Call.Type.ACCEPT) {
                if (accepts++ == 0) {
                    firstAccept = now;
                }
            } else if (call.getType() == Call.Type.DECLINE) {
                declines += call.getDecline().getOfferIdsCount();
            }
            lastCall = now;
        }

        void reset() {
            firstAccept = 0;
            lastCall = 0;
            accepts = 0;
            declines = 0;
        }
    }

    private static MesosLauncher launcher(Recorder recorder, Clock clock, int runsPerOffer) {
        OfferEvaluator evaluator = config(runsPerOffer).evaluator(clock);
        MesosLauncher launcher = new MesosLauncher(recorder::send, evaluator, new TaskGroupFactory(LAUNCH),
                new InMemoryFrameworkIdStore(), clock, m -> { }, MesosLauncher.Timing.standard(3), TestsReports.NONE);
        launcher.subscribed(FrameworkID.newBuilder().setValue("fw-bench").build());
        RunSpec spec = new RunSpec(Source.volume("cassandra-prod"), "mvn -q test", "maven:3-eclipse-temurin-17",
                null, Map.of(), "target/surefire-reports/*.xml", null, null, Map.of());
        LaunchListener quiet = new LaunchListener() {
        };
        for (int i = 0; i < RUNS; i++) {
            String id = "run-" + i;
            launcher.launch(RunStatus.queued(id, spec, clock.instant()),
                    new Clone("vol-" + id, id, "cassandra-prod", null, "snapci-" + id, clock.instant(), "clone"), quiet);
        }
        recorder.reset();
        return launcher;
    }

    private static void latencyOfBatches(List<Offer> offers, Clock clock) {
        Recorder recorder = new Recorder();
        for (int i = 0; i < 100; i++) {
            launcher(recorder, clock, 1).offers(offers);
        }
        List<Long> toFirstAccept = new ArrayList<>();
        List<Long> toLastCall = new ArrayList<>();
        int accepts = 0;
        int declines = 0;
        for (int i = 0; i < 200; i++) {
            MesosLauncher launcher = launcher(recorder, clock, 1);
            long start = System.nanoTime();
            launcher.offers(offers);
            toFirstAccept.add(recorder.firstAccept - start);
            toLastCall.add(recorder.lastCall - start);
            accepts = recorder.accepts;
            declines = recorder.declines;
        }
        System.out.println("a batch of all " + AGENTS + " offers, " + RUNS + " runs waiting (1 run per offer): "
                + accepts + " ACCEPTs, " + declines + " offers declined; 200 batches");
        System.out.println("| from offers(batch) to | median | p99 |");
        System.out.println("| --- | --- | --- |");
        System.out.printf("| the first ACCEPT at the CallSender | %.3f ms | %.3f ms |%n", median(toFirstAccept) / 1e6,
                percentile(toFirstAccept, 99) / 1e6);
        System.out.printf("| the last call (all ACCEPTs and the DECLINE sent) | %.3f ms | %.3f ms |%n",
                median(toLastCall) / 1e6, percentile(toLastCall, 99) / 1e6);
    }

    /** One matching offer at a time (the steady state: offers trickle in as agents free up). */
    private static void latencyOfSingleOffers(List<Offer> offers, Clock clock) {
        OfferEvaluator probe = config(1).evaluator(clock);
        List<Offer> fitting = offers.stream().filter(o -> !probe.match(List.of("p-" + o.getId().getValue()),
                List.of(o)).matches().isEmpty()).toList();
        Recorder recorder = new Recorder();
        List<Long> samples = new ArrayList<>();
        for (int round = 0; round < 20; round++) {
            MesosLauncher launcher = launcher(recorder, clock, 1);
            for (Offer offer : fitting) {
                recorder.reset();
                long start = System.nanoTime();
                launcher.offers(List.of(offer));
                if (round >= 5) {  // the first rounds warm up
                    samples.add(recorder.firstAccept - start);
                }
            }
        }
        System.out.printf("| one matching offer alone (%d samples over %d fitting agents) | %.3f ms | %.3f ms |%n",
                samples.size(), fitting.size(), median(samples) / 1e6, percentile(samples, 99) / 1e6);
    }

    private static long median(List<Long> values) {
        return percentile(values, 50);
    }

    private static long percentile(List<Long> values, int p) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }
}
