package io.snapci.tests.bench;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import io.snapci.model.Phase;
import io.snapci.model.RunSpec;
import io.snapci.model.RunStatus;
import io.snapci.model.Source;
import io.snapci.model.mask.MaskRules;
import io.snapci.scheduler.local.LocalMode;
import io.snapci.tests.support.Snapci;
import io.snapci.tests.support.SourceNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Semaphore;

/**
 * bench/run masking [rows] [bytes per row]: the time to mask one text column of a table, and a run's total time
 * with and without that masking, side by side, on one machine.
 */
public final class MaskingBenchmark {

    public static void main(String[] args) throws Exception {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int bytes = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        Path dir = Files.createTempDirectory("snapci-mask-bench");
        Path home = dir.resolve("production");
        long loadStart = System.nanoTime();
        try (SourceNode source = SourceNode.start(home, dir.resolve("production-node"))) {
            try (CqlSession session = source.connect()) {
                session.execute("CREATE KEYSPACE bench WITH replication = {'class': 'SimpleStrategy', "
                        + "'replication_factor': 1}");
                session.execute("CREATE TABLE bench.people (id int PRIMARY KEY, note text)");
                PreparedStatement insert = session.prepare("INSERT INTO bench.people (id, note) VALUES (?, ?)");
                Semaphore inFlight = new Semaphore(128);
                Random random = new Random(1);
                for (int i = 0; i < rows; i++) {
                    StringBuilder note = new StringBuilder(bytes);
                    while (note.length() < bytes) {
                        note.append((char) ('a' + random.nextInt(26)));
                    }
                    inFlight.acquire();
                    session.executeAsync(insert.bind(i, note.toString())).whenComplete((r, e) -> inFlight.release());
                }
                inFlight.acquire(128);
            }
            source.flush("bench");
        }
        System.out.printf("loaded %,d rows of %,d bytes in %.0f s%n", rows, bytes,
                (System.nanoTime() - loadStart) / 1e9);
        Path app = Files.createDirectories(dir.resolve("app"));
        LocalMode local = new LocalMode(dir.resolve("work"), Snapci.cassandraRuntime(), app, Clock.systemUTC());
        RunStatus plain = run(local, home, app, MaskRules.none());
        RunStatus masked = run(local, home, app, MaskRules.parse("bench.people.note: keep-chars"));
        System.out.printf("%-14s %10s %10s%n", "run", "total s", "masking s");
        System.out.printf("%-14s %10.1f %10s%n", "without mask", seconds(plain, null), "-");
        System.out.printf("%-14s %10.1f %10.1f%n", "with mask", seconds(masked, null),
                seconds(masked, Phase.MASKING));
        System.out.println("(masking = the MASKING phase: CQL rewrite of every row, flush, major compaction)");
    }

    private static RunStatus run(LocalMode local, Path home, Path app, MaskRules mask) throws Exception {
        RunSpec spec = new RunSpec(Source.dataDir(home.toString()), "true", null, app.toString(), Map.of(), null,
                null, null, Map.of(), mask);
        RunStatus queued = local.service().submit(spec);
        local.service().execute(queued.id());
        while (true) {
            RunStatus run = local.store().find(queued.id()).orElseThrow();
            if (run.phase().isTerminal() && run.cleanedUp()) {
                if (run.phase() != Phase.PASSED) {
                    throw new IllegalStateException(run.phase() + ": " + run.message());
                }
                return run;
            }
            Thread.sleep(200);
        }
    }

    /** The run's time from submission to its verdict, or the time spent in one phase. */
    private static double seconds(RunStatus run, Phase phase) {
        var history = run.history();
        for (int i = 0; i < history.size(); i++) {
            if (phase == null || history.get(i).phase() == phase) {
                int end = phase == null ? history.size() - 1 : i + 1;
                return Duration.between(history.get(phase == null ? 0 : i).at(), history.get(end).at())
                        .toMillis() / 1000.0;
            }
        }
        return Double.NaN;
    }
}
