package io.snapci.tests.cluster;

import io.snapci.model.Phase;
import io.snapci.model.RunStatus;
import io.snapci.scheduler.mesos.transport.Authenticator;
import io.snapci.scheduler.mesos.transport.DcosServiceAccount;
import io.snapci.scheduler.core.testkit.InMemoryFrameworkIdStore;
import io.snapci.scheduler.core.testkit.InMemoryRunStore;
import io.snapci.tests.mesos.AgentSpec;
import io.snapci.tests.mesos.Lifecycle;
import io.snapci.tests.mesos.MesosMasterPeer;
import io.snapci.tests.mesos.PeerOptions;
import io.snapci.tests.support.Cleanup;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Stories of runs going through Mesos, told against the Mesos master peer over loopback HTTP: snapci's real transport,
 * framework, offer evaluator, launcher and run service on one side; a master that enforces the real protocol and
 * plays the agents' executors by script on the other. Offers are made only when a story says so
 * ({@code master.offerNow()}), so each step reads as "send offers → expect ACCEPT".
 */
class MesosRunScenariosTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private MesosMasterPeer master;
    private final VolumeCloneDriver volumes = new VolumeCloneDriver();
    private SnapciScheduler snapci;

    @BeforeEach
    void startMaster() {
        master = MesosMasterPeer.start(PeerOptions.forTests());
    }

    @AfterEach
    void stop() throws Exception {
        Cleanup.closeOpened(snapci, master);
    }

    private SnapciScheduler scheduler() {
        snapci = startScheduler(master, Authenticator.none());
        awaitSubscribedAndQuiet(master);
        return snapci;
    }

    /** A scheduler on {@code masterToCall} with stores of its own, started. */
    private SnapciScheduler startScheduler(MesosMasterPeer masterToCall, Authenticator auth) {
        return new SnapciScheduler(masterToCall.url(), auth, volumes, new InMemoryRunStore(),
                new InMemoryFrameworkIdStore()).start();
    }

    /** snapci heard SUBSCRIBED from {@code leader}; nothing waits, so it wants no offers. */
    private static void awaitSubscribedAndQuiet(MesosMasterPeer leader) {
        leader.awaitSubscribed(WAIT);
        leader.awaitCall(Call.Type.SUPPRESS, WAIT);
    }

    /** A run submitted, snapci asking for offers for it (REVIVE), and {@code leader} making them. */
    private SnapciScheduler.Submitted submitAndOffer(MesosMasterPeer leader) {
        SnapciScheduler.Submitted run = snapci.submit();
        leader.awaitCall(Call.Type.REVIVE, WAIT);
        leader.offerNow();
        return run;
    }

    /** One CI agent whose Cassandra boots and whose tests pass. */
    private static void oneCiAgentWhereTestsPass(MesosMasterPeer leader) {
        leader.addAgent(ciAgent("ci-1")).onLaunch("cassandra", cassandraBoots()).onLaunch("tests", testsExit(0));
    }

    private static AgentSpec ciAgent(String id) {
        return AgentSpec.agent(id).hostname(id + ".ci.example").cpus(4).mem(8192).disk(100_000).ports(31000, 31999)
                .attribute("tier", "ci").build();
    }

    private static Predicate<TaskInfo> task(String role, int attempt) {
        return t -> t.getTaskId().getValue().endsWith("." + role + "." + attempt);
    }

    private static Lifecycle cassandraBoots() {
        return Lifecycle.of(TaskState.TASK_STARTING, TaskState.TASK_RUNNING).thenTcpCheckPassed()
                .after(Duration.ofMillis(100));
    }

    private static Lifecycle testsExit(int code) {
        return Lifecycle.of(TaskState.TASK_STARTING, TaskState.TASK_RUNNING).thenExits(code)
                .after(Duration.ofMillis(300));
    }

    private static String agentOf(Call accept) {
        return accept.getAccept().getOperations(0).getLaunchGroup().getTaskGroup().getTasks(0).getAgentId().getValue();
    }

    private long accepted(Call.Type type) {
        return master.calls().stream().filter(r -> r.call().getType() == type && r.status() / 100 == 2).count();
    }

    @Test
    void aRunGoesToTheCiTierAgentWhileOtherAgentsAreDeclinedWithTheirReasons() {
        master.addAgent(AgentSpec.agent("prod-1").hostname("prod-1.example").cpus(16).mem(65536).ports(31000, 31999)
                        .attribute("tier", "prod").build())
                .addAgent(ciAgent("ci-1"))
                .onLaunch("cassandra", cassandraBoots())
                .onLaunch("tests", testsExit(0));
        scheduler();

        SnapciScheduler.Submitted run = submitAndOffer(master);

        Call accept = master.awaitCall(Call.Type.ACCEPT, WAIT);
        assertThat(agentOf(accept)).isEqualTo("ci-1");
        var group = accept.getAccept().getOperations(0).getLaunchGroup();
        assertThat(group.getExecutor().getType().name()).isEqualTo("DEFAULT");
        assertThat(group.getTaskGroup().getTasks(0).getContainer().getVolumes(0).getSource().getDockerVolume()
                .getName()).isEqualTo("snapci-" + run.id());
        Call decline = master.awaitCall(Call.Type.DECLINE, WAIT);
        assertThat(decline.getDecline().getFilters().getRefuseSeconds()).isGreaterThanOrEqualTo(60);
        assertThat(snapci.evaluator().declineReasons().snapshot().recent())
                .anySatisfy(e -> assertThat(e.reason()).contains("prod-1").contains("tier").contains("ci"));

        RunStatus ended = run.awaitEnd(WAIT);
        assertThat(ended.phase()).as(ended.message()).isEqualTo(Phase.PASSED);
        assertThat(ended.placement().hostname()).isEqualTo("ci-1.ci.example");
        assertThat(ended.cleanedUp()).isTrue();
        // The default executor leaves Cassandra running when the tests finish: snapci kills it.
        assertThat(master.awaitCall(Call.Type.KILL, WAIT).getKill().getTaskId().getValue()).endsWith(".cassandra.1");
        assertThat(master.awaitTaskState(run.id() + ".cassandra.1", TaskState.TASK_KILLED, WAIT)).isTrue();
        assertThat(volumes.liveVolumes()).isEmpty();
        assertThat(volumes.createdVolumes()).containsExactly("snapci-" + run.id());
        master.awaitCall(Call.Type.SUPPRESS, WAIT);   // nothing waits any more
        awaitAllAcknowledged();
    }

    @Test
    void failingTestsFailTheRunWithTheirExitCodeAndAreNotRetried() {
        master.addAgent(ciAgent("ci-1")).addAgent(ciAgent("ci-2"))
                .onLaunch("cassandra", cassandraBoots())
                .onLaunch("tests", testsExit(7).writing("snapci-result.json", """
                        {"outcome":"FAILED","exitCode":7,"message":"1 of 2 tests failed: GuestbookTest.rendersEntries",
                         "tests":{"tests":2,"failures":1,"errors":0,"skipped":0,"failed":[{"className":"GuestbookTest",
                         "testName":"rendersEntries","message":"Unexpected character ('o' (code 111))"}]}}"""));
        scheduler();

        SnapciScheduler.Submitted run = submitAndOffer(master);

        RunStatus ended = run.awaitEnd(WAIT);
        assertThat(ended.phase()).isEqualTo(Phase.FAILED);
        assertThat(ended.testExitCode()).isEqualTo(7);
        // What the tests task left in its sandbox, read through the agent's files API.
        assertThat(ended.message()).contains("1 of 2 tests failed: GuestbookTest.rendersEntries");
        assertThat(ended.tests().failed()).singleElement()
                .satisfies(f -> assertThat(f.message()).contains("Unexpected character"));
        assertThat(accepted(Call.Type.ACCEPT)).isEqualTo(1);
        assertThat(volumes.liveVolumes()).isEmpty();
    }

    @Test
    void aRunOnAnAgentThatIsRemovedIsTriedAgainOnAnotherAgent() {
        master.addAgent(ciAgent("ci-1"))
                .onLaunch("cassandra", cassandraBoots())
                .onLaunch(task("tests", 1), Lifecycle.runsUntilKilled())
                .onLaunch(task("tests", 2), testsExit(0));
        scheduler();
        SnapciScheduler.Submitted run = submitAndOffer(master);
        assertThat(agentOf(master.awaitCall(Call.Type.ACCEPT, WAIT))).isEqualTo("ci-1");
        snapci.awaitPhase(run.id(), Phase.TESTING, WAIT);

        master.addAgent(ciAgent("ci-2"));
        master.removeAgent("ci-1");
        snapci.awaitPhase(run.id(), Phase.PLACING, WAIT);
        master.awaitCall(Call.Type.REVIVE, WAIT); // offers made while the framework is still suppressed go nowhere
        master.offerNow();

        assertThat(agentOf(master.awaitCall(Call.Type.ACCEPT, WAIT))).isEqualTo("ci-2");
        RunStatus ended = run.awaitEnd(WAIT);
        assertThat(ended.phase()).as(ended.message()).isEqualTo(Phase.PASSED);
        assertThat(ended.placement()).extracting(p -> p.agentId(), p -> p.attempt()).containsExactly("ci-2", 2);
    }

    @Test
    void aSecondRunWaitsForResourcesAndIsPlacedWhenTheFirstFreesThem() {
        master.addAgent(AgentSpec.agent("ci-1").hostname("ci-1.ci.example").cpus(3).mem(4096).ports(31000, 31999)
                        .attribute("tier", "ci").build())
                .onLaunch("cassandra", cassandraBoots())
                .onLaunch("tests", testsExit(0).after(Duration.ofMillis(800)));
        scheduler();

        SnapciScheduler.Submitted a = snapci.submit();
        SnapciScheduler.Submitted b = snapci.submit();
        awaitWaiting(a.id(), b.id());
        master.offerNow();
        Call firstAccept = master.awaitCall(Call.Type.ACCEPT, WAIT);
        assertThat(firstAccept.getAccept().getOperationsCount()).isEqualTo(1);
        // Both were waiting; whichever reached the launcher first got the agent.
        boolean aFirst = firstAccept.getAccept().getOperations(0).getLaunchGroup().getTaskGroup().getTasks(0)
                .getTaskId().getValue().startsWith(a.id());
        SnapciScheduler.Submitted first = aFirst ? a : b;
        SnapciScheduler.Submitted second = aFirst ? b : a;

        master.offerNow();   // what is left of ci-1 is too little for a second run
        assertThat(second.end()).isNotDone();
        assertThat(snapci.status(second.id()).phase()).isEqualTo(Phase.PLACING);

        assertThat(first.awaitEnd(WAIT).phase()).isEqualTo(Phase.PASSED);
        assertThat(master.awaitTaskState(first.id() + ".cassandra.1", TaskState.TASK_KILLED, WAIT)).isTrue();
        master.offerNow();
        assertThat(master.awaitCall(Call.Type.ACCEPT, WAIT).getAccept().getOperations(0).getLaunchGroup()
                .getTaskGroup().getTasks(0).getTaskId().getValue()).startsWith(second.id());
        assertThat(second.awaitEnd(WAIT).phase()).isEqualTo(Phase.PASSED);
    }

    @Test
    void anAgentGoingIntoMaintenanceIsNotUsed() {
        master.addAgent(AgentSpec.agent("ci-old").hostname("ci-old.ci.example").cpus(8).mem(16384)
                        .ports(31000, 31999).attribute("tier", "ci")
                        .unavailable(Instant.now().plus(Duration.ofMinutes(30)), Duration.ofHours(1)).build())
                .onLaunch("cassandra", cassandraBoots())
                .onLaunch("tests", testsExit(0));
        scheduler();
        SnapciScheduler.Submitted run = submitAndOffer(master);

        master.awaitCall(Call.Type.DECLINE, WAIT);
        assertThat(accepted(Call.Type.ACCEPT)).isZero();
        assertThat(snapci.evaluator().declineReasons().snapshot().recent())
                .anySatisfy(e -> assertThat(e.reason()).contains("ci-old").contains("maintenance"));

        master.addAgent(ciAgent("ci-new"));
        master.offerNow();
        assertThat(agentOf(master.awaitCall(Call.Type.ACCEPT, WAIT))).isEqualTo("ci-new");
        assertThat(run.awaitEnd(WAIT).phase()).isEqualTo(Phase.PASSED);
    }

    @Test
    void aDroppedStreamAndAMasterFailoverAreSurvivedMidRun() {
        master.addAgent(ciAgent("ci-1"))
                .onLaunch("cassandra", cassandraBoots())
                .onLaunch("tests", Lifecycle.runsUntilKilled());
        scheduler();
        SnapciScheduler.Submitted run = submitAndOffer(master);
        master.awaitCall(Call.Type.ACCEPT, WAIT);
        snapci.awaitPhase(run.id(), Phase.TESTING, WAIT);
        String frameworkId = master.frameworkIds().get(0);

        master.dropConnection();
        assertThat(master.awaitSubscribed(WAIT).getFrameworkId().getValue()).isEqualTo(frameworkId);
        master.failover();
        assertThat(master.awaitSubscribed(WAIT).getFrameworkId().getValue()).isEqualTo(frameworkId);
        Call reconcile = master.awaitCall(Call.Type.RECONCILE, WAIT);
        assertThat(reconcile.getReconcile().getTasksList()).extracting(t -> t.getTaskId().getValue())
                .contains(run.id() + ".tests.1");

        master.sendUpdate(run.id() + ".tests.1", TaskState.TASK_FINISHED, "Command exited with status 0", null);
        RunStatus ended = run.awaitEnd(WAIT);
        assertThat(ended.phase()).as(ended.message()).isEqualTo(Phase.PASSED);
        assertThat(accepted(Call.Type.ACCEPT)).isEqualTo(1);
        assertThat(master.frameworkIds()).containsExactly(frameworkId);
    }

    @Test
    void aSchedulerPointedAtAMasterThatIsNotTheLeaderFollowsTheRedirect() {
        try (MesosMasterPeer leader = MesosMasterPeer.start(PeerOptions.forTests())) {
            oneCiAgentWhereTestsPass(leader);
            master.notLeader(leader);
            snapci = startScheduler(master, Authenticator.none());
            awaitSubscribedAndQuiet(leader);

            SnapciScheduler.Submitted run = submitAndOffer(leader);
            assertThat(run.awaitEnd(WAIT).phase()).isEqualTo(Phase.PASSED);
            assertThat(master.calls()).allSatisfy(r -> assertThat(r.status()).isEqualTo(307));
        }
    }

    @Test
    void anOfferRescindedWhileItsAcceptIsOnTheWireCostsTheRunOnlyAnotherAttempt() {
        oneCiAgentWhereTestsPass(master);
        scheduler();
        SnapciScheduler.Submitted run = snapci.submit();
        master.awaitCall(Call.Type.REVIVE, WAIT);

        master.rescindBeforeNextAccept();
        master.offerNow();
        Call first = master.awaitCall(Call.Type.ACCEPT, WAIT);
        // The master answers 202, then reports the tasks dropped: the offer was no longer valid.
        awaitLogLine("TASK_DROPPED (REASON_INVALID_OFFERS");
        master.awaitCall(Call.Type.REVIVE, WAIT);   // the run waits again, so offers are wanted again
        master.offerNow();

        Call second = master.awaitCall(Call.Type.ACCEPT, WAIT);
        assertThat(second.getAccept().getOfferIds(0)).isNotEqualTo(first.getAccept().getOfferIds(0));
        RunStatus ended = run.awaitEnd(WAIT);
        assertThat(ended.phase()).as(ended.message()).isEqualTo(Phase.PASSED);
        assertThat(ended.placement().attempt()).isEqualTo(2);
    }

    @Test
    void inStrictModeEveryCallCarriesTheServiceAccountsToken() throws Exception {
        KeyPair key = rsaKey();
        String pem = pkcs8Pem(key);
        try (IamPeer iam = IamPeer.start()) {
            iam.addServiceAccount("snapci-principal", key.getPublic());
            master.requireAuthorization(iam::isValid);
            oneCiAgentWhereTestsPass(master);
            snapci = strictModeScheduler(iam, pem);
            awaitSubscribedAndQuiet(master);

            SnapciScheduler.Submitted run = submitAndOffer(master);

            assertThat(run.awaitEnd(WAIT).phase()).isEqualTo(Phase.PASSED);
            assertThat(iam.tokensIssued()).isEqualTo(1);   // one login, the token reused for every call
            assertThat(master.calls()).isNotEmpty().allSatisfy(r -> assertThat(r.status() / 100).isEqualTo(2));
        }
    }

    @Test
    void inStrictModeAServiceAccountTheIamDoesNotKnowNeverSubscribes() throws Exception {
        KeyPair registered = rsaKey();
        String otherPem = pkcs8Pem(rsaKey());
        try (IamPeer iam = IamPeer.start()) {
            iam.addServiceAccount("snapci-principal", registered.getPublic());
            master.requireAuthorization(iam::isValid);
            snapci = strictModeScheduler(iam, otherPem);

            spinUntil(() -> snapci.log().stream().anyMatch(l -> l.contains("signature")), Duration.ofSeconds(2));
            assertThat(snapci.log()).anySatisfy(l -> assertThat(l).contains("DC/OS login as 'snapci-principal'")
                    .contains("401").contains("signature does not verify"));
            assertThat(iam.tokensIssued()).isZero();
            assertThat(master.frameworkIds()).isEmpty();
        }
    }

    /** A scheduler that logs in to {@code iam} as the service account snapci-principal with this private key. */
    private SnapciScheduler strictModeScheduler(IamPeer iam, String privateKeyPem) {
        return startScheduler(master, new DcosServiceAccount(iam.loginUri(), "snapci-principal", privateKeyPem,
                Clock.systemUTC(), HttpClient.newHttpClient()));
    }

    private static KeyPair rsaKey() throws Exception {
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        return rsa.generateKeyPair();
    }

    /** A service account's private key as DC/OS hands it out: PKCS#8 PEM. */
    private static String pkcs8Pem(KeyPair key) {
        return "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes())
                .encodeToString(key.getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n";
    }

    private void awaitWaiting(String... runIds) {
        spinUntil(() -> snapci.mode().launcher().waitingRuns().containsAll(List.of(runIds)), WAIT);
        assertThat(snapci.mode().launcher().waitingRuns()).contains(runIds);
    }

    private void awaitLogLine(String text) {
        spinUntil(() -> snapci.log().stream().anyMatch(l -> l.contains(text)), WAIT);
        assertThat(snapci.log()).anySatisfy(l -> assertThat(l).contains(text));
    }

    private void awaitAllAcknowledged() {
        spinUntil(() -> master.unacknowledged().isEmpty(), WAIT);
        assertThat(master.unacknowledged()).isEmpty();
    }

    /** Spins until {@code done} holds or {@code timeout} has passed; the caller's assertion then says which. */
    private static void spinUntil(BooleanSupplier done, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
    }
}
