package io.snapci.scheduler.core.run;

import io.snapci.model.ExecutionResult;
import io.snapci.model.Phase;
import io.snapci.model.RunSpec;
import io.snapci.model.RunStatus;
import io.snapci.model.Source;
import io.snapci.model.TestCounts;
import io.snapci.model.Timeouts;
import io.snapci.scheduler.core.testkit.InMemoryRunStore;
import io.snapci.scheduler.core.storage.StorageException;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The state machine's promises, with a fake driver and launcher: phases in order, and no run ends owning a copy. */
class RunServiceTest {

    /** Run threads the test owns (the service itself never picks a pool). */
    private final java.util.concurrent.ExecutorService runThreads = java.util.concurrent.Executors.newCachedThreadPool();

    @org.junit.jupiter.api.AfterEach
    void stopRunThreads() {
        runThreads.shutdownNow();
    }

    private final FakeDriver driver = new FakeDriver();
    private final InMemoryRunStore store = new InMemoryRunStore();
    private final List<Phase> seen = Collections.synchronizedList(new ArrayList<>());
    private final List<String> output = Collections.synchronizedList(new ArrayList<>());

    private RunService service(FakeLauncher launcher) {
        RunService service = new RunService(driver, launcher, store, Clock.systemUTC());
        service.addObserver(new RunObserver() {
            @Override
            public void onStatus(RunStatus status) {
                if (seen.isEmpty() || seen.get(seen.size() - 1) != status.phase()) {
                    seen.add(status.phase());
                }
            }

            @Override
            public void onTestOutput(String runId, String line, boolean stderr) {
                output.add(line);
            }
        });
        return service;
    }

    private static RunSpec spec() {
        return new RunSpec(Source.dataDir("/var/lib/cassandra"), "mvn test", null, null, Map.of(), null, null, null,
                Map.of());
    }

    private static ExecutionResult ended(Phase phase, int exit, TestCounts counts) {
        return new ExecutionResult(phase, phase + "!", exit, counts, 1234L, null, null, null);
    }

    @Test
    void aPassingRunGoesThroughEveryPhaseAndEndsCleanedUp() {
        RunService service = service(FakeLauncher.endingWith(ended(Phase.PASSED, 0,
                new TestCounts(3, 0, 0, 0, List.of()))));

        RunStatus run = service.execute(service.submit(spec()).id());

        assertThat(seen).containsExactly(Phase.QUEUED, Phase.SNAPSHOTTING, Phase.PLACING, Phase.STARTING_CASSANDRA,
                Phase.TESTING, Phase.PASSED);
        assertThat(run.cleanedUp()).isTrue();
        assertThat(run.cloneId()).isEqualTo("clone-" + run.id());
        assertThat(run.dataTakenAt()).as("kept in the record, for a scheduler that takes the run over")
                .isEqualTo(FakeDriver.DATA_TAKEN_AT);
        assertThat(run.cassandraReadyMillis()).isEqualTo(1234L);
        assertThat(run.testExitCode()).isZero();
        assertThat(driver.live).isEmpty();
        assertThat(output).containsExactly("a line");
        assertThat(store.find(run.id())).contains(run);
    }

    @Test
    void anAttemptLostWithItsMachineReleasesTheCopyBeforeTheNextAttemptAndTheRunGoesOn() {
        RunService service = service(FakeLauncher.losingTheFirstAttemptThenEndingWith(ended(Phase.PASSED, 0,
                new TestCounts(1, 0, 0, 0, List.of()))));

        RunStatus run = service.execute(service.submit(spec()).id());

        assertThat(driver.released).containsExactly("clone-" + run.id());
        assertThat(run.phase()).isEqualTo(Phase.PASSED);
        assertThat(run.placement().attempt()).isEqualTo(2);
        assertThat(run.cleanedUp()).isTrue();
    }

    @Test
    void failedTestsAreFailedWithTheirExitCodeAndTheCopyIsDeleted() {
        RunService service = service(FakeLauncher.endingWith(ended(Phase.FAILED, 7,
                new TestCounts(3, 1, 0, 0, List.of()))));

        RunStatus run = service.execute(service.submit(spec()).id());

        assertThat(run.phase()).isEqualTo(Phase.FAILED);
        assertThat(run.testExitCode()).isEqualTo(7);
        assertThat(run.tests().failures()).isEqualTo(1);
        assertThat(run.cleanedUp()).isTrue();
        assertThat(driver.live).isEmpty();
    }

    @Test
    void anInfrastructureFailureOfTheLaunchIsAnErrorAndTheCopyIsDeleted() {
        RunService service = service(FakeLauncher.endingWith(ExecutionResult.error("Cassandra did not start")));

        RunStatus run = service.execute(service.submit(spec()).id());

        assertThat(run.phase()).isEqualTo(Phase.ERROR);
        assertThat(run.message()).isEqualTo("Cassandra did not start");
        assertThat(driver.live).isEmpty();
    }

    @Test
    void aCopyThatCannotBeMadeIsAnErrorWithTheDriversMessage() {
        driver.failCreate = new StorageException(StorageException.Kind.SOURCE_NOT_FOUND, "no /var/lib/cassandra");
        RunService service = service(FakeLauncher.endingWith(ended(Phase.PASSED, 0, TestCounts.NONE)));

        RunStatus run = service.execute(service.submit(spec()).id());

        assertThat(run.phase()).isEqualTo(Phase.ERROR);
        assertThat(run.message()).isEqualTo("no /var/lib/cassandra");
        assertThat(run.cleanedUp()).isTrue();
        assertThat(seen).containsExactly(Phase.QUEUED, Phase.SNAPSHOTTING, Phase.ERROR);
    }

    @Test
    void aDeleteThatFailsOnceIsRetried() {
        driver.failDeletes = 1;
        RunService service = service(FakeLauncher.endingWith(ended(Phase.PASSED, 0, TestCounts.NONE)));

        RunStatus run = service.execute(service.submit(spec()).id());

        assertThat(run.phase()).isEqualTo(Phase.PASSED);
        assertThat(run.cleanedUp()).isTrue();
        assertThat(driver.live).isEmpty();
    }

    @Test
    void aCopyThatCannotBeDeletedIsSaidSoInTheRun() {
        driver.failDeletes = 100;
        RunService service = service(FakeLauncher.endingWith(ended(Phase.PASSED, 0, TestCounts.NONE)));

        RunStatus run = service.execute(service.submit(spec()).id());

        assertThat(run.cleanedUp()).isFalse();
        assertThat(run.message()).contains("could not be deleted").contains("clone-" + run.id());
    }

    @Test
    void cancellingARunningRunEndsItCancelledWithItsCopyDeleted() throws Exception {
        FakeLauncher launcher = FakeLauncher.runningUntilCancelled();
        RunService service = service(launcher);
        String id = service.submit(spec()).id();

        CompletableFuture<RunStatus> running = service.start(id, runThreads);
        while (!launcher.launched.containsKey(id)) {
            Thread.sleep(5);
        }
        service.cancel(id);
        RunStatus run = running.get(10, TimeUnit.SECONDS);

        assertThat(run.phase()).isEqualTo(Phase.CANCELLED);
        assertThat(run.cleanedUp()).isTrue();
        assertThat(driver.live).isEmpty();
    }

    @Test
    void cancellingWhileTheCopyIsMadeStopsBeforeLaunching() {
        FakeLauncher launcher = FakeLauncher.endingWith(ended(Phase.PASSED, 0, TestCounts.NONE));
        RunService service = service(launcher);
        String id = service.submit(spec()).id();
        driver.duringCreate = () -> service.cancel(id);

        RunStatus run = service.execute(id);

        assertThat(run.phase()).isEqualTo(Phase.CANCELLED);
        assertThat(launcher.launched).isEmpty();
        assertThat(driver.live).isEmpty();
    }

    @Test
    void aCancelBetweenTheCopyAndTheLauncherKnowingTheRunStillStopsIt() throws Exception {
        FakeLauncher launcher = FakeLauncher.runningUntilCancelled();
        RunService service = service(launcher);
        String id = service.submit(spec()).id();
        // The copy is made and checked for a cancel; the cancel comes now, when the launcher has no run to stop yet.
        launcher.beforeKnowingTheRun = () -> service.cancel(id);

        RunStatus run = service.start(id, runThreads).get(10, TimeUnit.SECONDS);

        assertThat(run.phase()).isEqualTo(Phase.CANCELLED);
        assertThat(driver.live).isEmpty();
    }

    @Test
    void aCancelWhileARestartedSchedulerHandsTheRunBackStillStopsIt() throws Exception {
        java.time.Instant t = java.time.Instant.now();
        store.save(RunStatus.queued("r-placed", spec(), t).withPhase(Phase.SNAPSHOTTING, "", t)
                .withClone("clone-r-placed", "copied").withPhase(Phase.PLACING, "", t)
                .withPlacement(new io.snapci.model.Placement("a1", "host-1", 1)));
        driver.live.put("clone-r-placed", new io.snapci.scheduler.core.storage.Clone("clone-r-placed", "r-placed",
                null, null, null, t, "copied"));
        FakeLauncher launcher = FakeLauncher.runningUntilCancelled();
        RunService service = service(launcher);
        launcher.beforeKnowingTheRun = () -> service.cancel("r-placed");

        assertThat(service.resume()).containsExactly("r-placed");
        RunStatus run = service.start("r-placed", runThreads).get(10, TimeUnit.SECONDS);

        assertThat(run.phase()).isEqualTo(Phase.CANCELLED);
        assertThat(driver.live).isEmpty();
    }

    @Test
    void aQueuedRunCancelledBeforeItStartsIsCancelledAtOnce() {
        RunService service = service(FakeLauncher.endingWith(ended(Phase.PASSED, 0, TestCounts.NONE)));
        String id = service.submit(spec()).id();

        service.cancel(id);

        assertThat(service.get(id).phase()).isEqualTo(Phase.CANCELLED);
    }

    @Test
    void aRunPastItsDeadlineIsStoppedAndIsAnError() {
        RunService service = service(FakeLauncher.runningUntilCancelled());
        RunSpec hurried = new RunSpec(null, "sleep 1000", null, null, null, null,
                new Timeouts(null, null, Duration.ofMillis(200)), null, null);

        RunStatus run = service.execute(service.submit(hurried).id());

        assertThat(run.phase()).isEqualTo(Phase.ERROR);
        assertThat(run.message()).contains("deadline");
        assertThat(driver.live).isEmpty();
    }

    @Test
    void aRestartedSchedulerTakesOverEveryRunThatHadNotEnded() throws Exception {
        java.time.Instant t = java.time.Instant.parse("2026-11-25T10:00:00Z");
        RunStatus queued = RunStatus.queued("r-queued", spec(), t);
        RunStatus copying = RunStatus.queued("r-copying", spec(), t).withPhase(Phase.SNAPSHOTTING, "", t);
        RunStatus testing = RunStatus.queued("r-testing", spec(), t).withPhase(Phase.SNAPSHOTTING, "", t)
                .withClone("clone-r-testing", "copied").withPhase(Phase.PLACING, "", t)
                .withPlacement(new io.snapci.model.Placement("a1", "host-1", 1))
                .withPhase(Phase.STARTING_CASSANDRA, "", t).withPhase(Phase.TESTING, "", t);
        RunStatus copyGone = RunStatus.queued("r-gone", spec(), t).withPhase(Phase.SNAPSHOTTING, "", t)
                .withClone("clone-r-gone", "copied").withPhase(Phase.PLACING, "", t);
        RunStatus ended = RunStatus.queued("r-ended", spec(), t).withPhase(Phase.ERROR, "earlier", t);
        List.of(queued, copying, testing, copyGone, ended).forEach(store::save);
        driver.live.put("half-copy", new io.snapci.scheduler.core.storage.Clone("half-copy", "r-copying", null, null, null,
                t, "half made"));
        driver.live.put("clone-r-testing", new io.snapci.scheduler.core.storage.Clone("clone-r-testing", "r-testing", null,
                null, null, t, "copied"));
        FakeLauncher launcher = FakeLauncher.endingWith(ended(Phase.PASSED, 0, null));
        RunService service = service(launcher);

        List<String> resumed = service.resume();

        assertThat(resumed).containsExactlyInAnyOrder("r-copying", "r-testing", "r-gone");   // QUEUED waits
        assertThat(launcher.adopted).as("placed runs are handed back before resume returns").containsOnlyKeys("r-testing");
        assertThat(launcher.launched).as("nothing is launched until the caller executes").isEmpty();
        Map<String, Phase> outcomes = new java.util.HashMap<>();
        for (String id : resumed) {
            outcomes.put(id, service.start(id, runThreads).get(10, TimeUnit.SECONDS).phase());
        }
        assertThat(store.find("r-queued").orElseThrow().phase()).isEqualTo(Phase.QUEUED);
        assertThat(outcomes).containsEntry("r-copying", Phase.PASSED)
                .containsEntry("r-testing", Phase.PASSED).containsEntry("r-gone", Phase.ERROR);
        assertThat(launcher.adopted).containsOnlyKeys("r-testing");
        assertThat(launcher.launched).containsOnlyKeys("r-copying");
        assertThat(driver.deleted).contains("half-copy", "clone-r-testing", "clone-r-copying");
        assertThat(driver.live).isEmpty();
        assertThat(store.find("r-gone").orElseThrow().message()).contains("copy clone-r-gone is gone");
        assertThat(store.find("r-ended").orElseThrow().phase()).isEqualTo(Phase.ERROR);
        assertThat(store.find("r-testing").orElseThrow().cleanedUp()).isTrue();
    }

    @Test
    void theDeadlineCountsFromTheFirstPlacementNotFromATakeOver() {
        java.time.Instant longAgo = java.time.Instant.now().minus(Duration.ofHours(2));
        RunSpec oneHour = new RunSpec(Source.dataDir("/var/lib/cassandra"), "mvn test", null, null, Map.of(), null,
                new Timeouts(Duration.ofMinutes(1), Duration.ofMinutes(30), Duration.ofHours(1)), null, Map.of());
        RunStatus testing = RunStatus.queued("r-old", oneHour, longAgo).withPhase(Phase.SNAPSHOTTING, "", longAgo)
                .withClone("clone-r-old", "copied").withPhase(Phase.PLACING, "", longAgo)
                .withPlacement(new io.snapci.model.Placement("a1", "host-1", 1));
        store.save(testing);
        driver.live.put("clone-r-old", new io.snapci.scheduler.core.storage.Clone("clone-r-old", "r-old", null, null, null,
                longAgo, "copied"));
        FakeLauncher neverEnds = FakeLauncher.runningUntilCancelled();
        RunService service = new RunService(driver, neverEnds, store, Clock.systemUTC());

        assertThat(service.resume()).containsExactly("r-old");
        RunStatus run = service.execute("r-old");

        assertThat(run.phase()).isEqualTo(Phase.ERROR);
        assertThat(run.message()).contains("passed its deadline");
        assertThat(driver.live).isEmpty();
    }
}
