package io.snapci.server.runs;

import io.snapci.model.Phase;
import io.snapci.model.RunSpec;
import io.snapci.model.RunStatus;
import io.snapci.scheduler.core.testkit.InMemoryRunStore;
import io.snapci.scheduler.core.testkit.MutableClock;
import io.snapci.server.config.RetentionConfig;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** Which runs retention deletes (and never), and that it runs on its own thread until closed. */
class RunRetentionTest {

    private static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");

    private final InMemoryRunStore store = new InMemoryRunStore();
    private final RecordingFiles files = new RecordingFiles();
    private final MutableClock clock = new MutableClock(T0);
    private final List<String> log = new CopyOnWriteArrayList<>();

    private RunRetention retention(Duration maxAge, int maxCount) {
        return new RunRetention(store, files, new RetentionConfig(maxAge, maxCount, Duration.ofMillis(50)), clock,
                log::add);
    }

    /** Run {@code n}, created {@code n} hours after T0 (its id says so, as RunIds' do). */
    private static RunStatus created(int n) {
        Instant at = T0.plus(Duration.ofHours(n));
        return RunStatus.queued(String.format("r202611%02d-%02d0000-%04x", 1 + n / 24, n % 24, n), new RunSpec(null,
                "true", null, null, null, null, null, null, null), at);
    }

    private static RunStatus ended(int n, Phase phase) {
        RunStatus run = created(n);
        return run.withPhase(phase, "ended", run.createdAt().plusSeconds(60)).withCleanedUp(true);
    }

    private static RunStatus copying(int n) {
        RunStatus run = created(n);
        return run.withPhase(Phase.SNAPSHOTTING, "copying", run.createdAt());
    }

    private Set<String> stored() {
        Set<String> ids = new HashSet<>();
        store.list().forEach(r -> ids.add(r.id()));
        return ids;
    }

    @Test
    void eachDeletedRunIsInTheAuditLogAsDeletedByRetentionAndOnlyThoseThatWent() {
        io.snapci.scheduler.core.testkit.InMemoryAuditLog auditLog = new io.snapci.scheduler.core.testkit.InMemoryAuditLog();
        io.snapci.server.audit.AuditRecorder audit = new io.snapci.server.audit.AuditRecorder(auditLog, clock);
        RetentionConfig config = new RetentionConfig(Duration.ofHours(24), 10_000, Duration.ofMillis(50));
        RunStatus old = ended(0, Phase.CANCELLED);
        RunStatus stuck = ended(1, Phase.ERROR);
        List.of(old, stuck, copying(2)).forEach(store::save);
        files.failing.add(stuck.id());
        clock.set(T0.plus(Duration.ofHours(48)));

        new RunRetention(store, files, config, clock, log::add, run -> audit.deletedByRetention(run, config)).check();

        List<io.snapci.scheduler.core.audit.AuditEntry> entries = auditLog.query(
                io.snapci.scheduler.core.audit.AuditQuery.all(100));
        assertThat(entries).hasSize(1);
        assertThat(entries.get(0).action()).isEqualTo(io.snapci.scheduler.core.audit.AuditAction.RUN_DELETED);
        assertThat(entries.get(0).runId()).isEqualTo(old.id());
        assertThat(entries.get(0).who()).isEqualTo("snapci:retention");
        assertThat(entries.get(0).outcome()).isEqualTo("DELETED");
        assertThat(entries.get(0).detail()).isEqualTo("past runs.retention.maxAge=PT24H or runs.retention.maxCount=10000");
    }

    @Test
    void runsThatEndedLongerAgoThanMaxAgeGoWithTheirFilesAndRunsNotEndedStayWhateverTheirAge() {
        RunStatus oldError = ended(0, Phase.ERROR);
        RunStatus oldCancelled = ended(1, Phase.CANCELLED);
        RunStatus ancientButCopying = copying(2);
        RunStatus ancientButQueued = created(3);
        RunStatus recent = ended(40, Phase.ERROR);
        List.of(oldError, oldCancelled, ancientButCopying, ancientButQueued, recent).forEach(store::save);
        clock.set(T0.plus(Duration.ofHours(48)));

        List<String> deleted = retention(Duration.ofHours(24), 10_000).check();

        assertThat(deleted).containsExactlyInAnyOrder(oldError.id(), oldCancelled.id());
        assertThat(stored()).containsExactlyInAnyOrder(ancientButCopying.id(), ancientButQueued.id(), recent.id());
        assertThat(files.deleted).containsExactlyInAnyOrder(oldError.id(), oldCancelled.id());
    }

    @Test
    void theAgeCountsFromWhenTheRunEndedNotWhenItStarted() {
        RunStatus run = created(0);
        RunStatus longRun = run.withPhase(Phase.ERROR, "gave up", T0.plus(Duration.ofHours(30)));
        store.save(longRun);
        clock.set(T0.plus(Duration.ofHours(48)));

        assertThat(retention(Duration.ofHours(24), 10_000).check()).isEmpty();
        clock.set(T0.plus(Duration.ofHours(55)));
        assertThat(retention(Duration.ofHours(24), 10_000).check()).containsExactly(longRun.id());
    }

    @Test
    void beyondMaxCountTheOldestEndedRunsGoAndRunsNotEndedCountButStay() {
        List<String> newestFirst = new ArrayList<>();
        for (int n = 0; n < 8; n++) {
            RunStatus run = n == 1 || n == 6 ? copying(n) : ended(n, Phase.ERROR);
            store.save(run);
            newestFirst.add(0, run.id());
        }

        List<String> deleted = retention(Duration.ofDays(365), 3).check();

        // Newest first: 7, 6 (copying), 5 are the three kept; 1 is copying and stays; 4, 3, 2, 0 go.
        assertThat(deleted).containsExactly(newestFirst.get(3), newestFirst.get(4), newestFirst.get(5),
                newestFirst.get(7));
        assertThat(stored()).containsExactlyInAnyOrder(newestFirst.get(0), newestFirst.get(1), newestFirst.get(2),
                newestFirst.get(6));
        assertThat(retention(Duration.ofDays(365), 3).check()).as("a second check finds nothing more").isEmpty();
    }

    @Test
    void moreRunsThanOnePageAreAllChecked() {
        int count = RunRetention.PAGE * 2 + 17;
        for (int n = 0; n < count; n++) {
            store.save(ended(n, Phase.ERROR));
        }
        assertThat(retention(Duration.ofDays(3650), 100).check()).hasSize(count - 100);
        assertThat(store.list()).hasSize(100);
    }

    @Test
    void aRunWhoseFilesCannotBeDeletedKeepsItsRecordUntilTheNextCheck() {
        RunStatus stuck = ended(0, Phase.ERROR);
        RunStatus other = ended(1, Phase.ERROR);
        store.save(stuck);
        store.save(other);
        files.failing.add(stuck.id());
        clock.set(T0.plus(Duration.ofDays(2)));

        assertThat(retention(Duration.ofHours(1), 10).check()).containsExactly(other.id());
        assertThat(stored()).containsExactly(stuck.id());
        assertThat(log).anySatisfy(line -> assertThat(line).contains(stuck.id(), "disk says no"));

        files.failing.clear();
        assertThat(retention(Duration.ofHours(1), 10).check()).containsExactly(stuck.id());
    }

    @Test
    void itChecksOnItsOwnNamedThreadUntilClosed() throws Exception {
        store.save(ended(0, Phase.ERROR));
        clock.set(T0.plus(Duration.ofDays(2)));
        RunRetention retention = retention(Duration.ofHours(1), 10);
        retention.start();
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (log.stream().noneMatch(line -> line.contains("retention deleted")) && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(store.list()).isEmpty();
            assertThat(files.threads).extracting(Thread::getName).containsOnly(RunRetention.THREAD);
            assertThat(log).anySatisfy(line -> assertThat(line).contains("retention deleted 1 ended run"));
        } finally {
            retention.close();
        }
        Thread worker = files.threads.iterator().next();
        worker.join(5000);
        assertThat(worker.isAlive()).as("the retention thread ends with close()").isFalse();
        store.save(ended(1, Phase.ERROR));
        Thread.sleep(200);
        assertThat(store.list()).as("nothing checks after close").hasSize(1);
    }

    /** Records which runs' files were deleted, from which thread; refuses for the runs it is told to. */
    private static final class RecordingFiles implements RunFiles {
        final List<String> deleted = Collections.synchronizedList(new ArrayList<>());
        final Set<Thread> threads = Collections.synchronizedSet(new HashSet<>());
        final Set<String> failing = Collections.synchronizedSet(new HashSet<>());

        @Override
        public Optional<Path> log(String runId, Task task, boolean stderr) {
            return Optional.empty();
        }

        @Override
        public Optional<Path> junit(String runId) {
            return Optional.empty();
        }

        @Override
        public void delete(String runId) throws IOException {
            threads.add(Thread.currentThread());
            if (failing.contains(runId)) {
                throw new IOException("disk says no");
            }
            deleted.add(runId);
        }
    }
}
