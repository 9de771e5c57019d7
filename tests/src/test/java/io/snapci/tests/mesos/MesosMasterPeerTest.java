package io.snapci.tests.mesos;

import static org.apache.mesos.v1.Protos.TaskState.TASK_DROPPED;
import static org.apache.mesos.v1.Protos.TaskState.TASK_ERROR;
import static org.apache.mesos.v1.Protos.TaskState.TASK_FAILED;
import static org.apache.mesos.v1.Protos.TaskState.TASK_FINISHED;
import static org.apache.mesos.v1.Protos.TaskState.TASK_GONE;
import static org.apache.mesos.v1.Protos.TaskState.TASK_KILLED;
import static org.apache.mesos.v1.Protos.TaskState.TASK_KILLING;
import static org.apache.mesos.v1.Protos.TaskState.TASK_LOST;
import static org.apache.mesos.v1.Protos.TaskState.TASK_RUNNING;
import static org.apache.mesos.v1.Protos.TaskState.TASK_STARTING;
import static org.apache.mesos.v1.Protos.TaskState.TASK_UNKNOWN;
import static org.assertj.core.api.Assertions.assertThat;

import io.snapci.scheduler.mesos.transport.RecordIoDecoder;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.ExecutorID;
import org.apache.mesos.v1.Protos.ExecutorInfo;
import org.apache.mesos.v1.Protos.Filters;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.OfferID;
import org.apache.mesos.v1.Protos.Resource;
import org.apache.mesos.v1.Protos.TaskGroupInfo;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.Protos.Value;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The peer's rules, proven with a raw HTTP client (see {@link RawScheduler}). */
class MesosMasterPeerTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    private MesosMasterPeer master;
    private RawScheduler scheduler;

    @BeforeEach
    void start() {
        master = MesosMasterPeer.start(PeerOptions.forTests());
        master.addAgent(AgentSpec.agent("agent-1").hostname("ci-1.example").cpus(4).mem(8192).disk(10_000)
                .ports(31000, 31010).attribute("tier", "ci").attribute("rack", 3).build());
        scheduler = new RawScheduler(master.schedulerEndpoint());
    }

    @AfterEach
    void stop() {
        scheduler.close();
        master.close();
    }

    // ---- subscription ------------------------------------------------------------------------------------------

    @Test
    void subscribeStreamsRecordIoEventsWithAStreamIdAndHeartbeats() throws Exception {
        HttpResponse<?> response = scheduler.subscribe(RawScheduler.info().build());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).contains(RawScheduler.PROTOBUF);
        assertThat(scheduler.streamId).matches("[0-9a-f-]{36}");
        assertThat(scheduler.frameworkId.getValue()).endsWith("-0000");
        Event.Subscribed subscribed = master.awaitSubscribed(WAIT);
        assertThat(subscribed.getHeartbeatIntervalSeconds()).isEqualTo(0.2);
        assertThat(subscribed.getMasterInfo().getPort()).isEqualTo(master.url().getPort());
        long start = System.nanoTime();
        scheduler.next(Event.Type.HEARTBEAT, WAIT);
        scheduler.next(Event.Type.HEARTBEAT, WAIT);
        scheduler.next(Event.Type.HEARTBEAT, WAIT);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(300),
                Duration.ofSeconds(2));
    }

    @Test
    void recordIoFramingIsLengthNewlineBytesAndDecodesWithSnapcisDecoder() throws Exception {
        Event event = Event.newBuilder().setType(Event.Type.ERROR)
                .setError(Event.Error.newBuilder().setMessage("x".repeat(300))).build();
        byte[] framed = RecordIoWriter.frame(event);
        String prefix = event.toByteArray().length + "\n";

        assertThat(new String(framed, 0, prefix.length(), java.nio.charset.StandardCharsets.US_ASCII))
                .isEqualTo(prefix);
        List<byte[]> records = new RecordIoDecoder().feed(framed);
        assertThat(records).hasSize(1);
        assertThat(Event.parseFrom(records.get(0))).isEqualTo(event);
    }

    @Test
    void callsNeedTheStreamIdOfTheCurrentSubscription() throws Exception {
        scheduler.subscribe(RawScheduler.info().build());
        Call revive = scheduler.call(Call.Type.REVIVE).build();

        HttpResponse<String> without = scheduler.post(revive, null);
        HttpResponse<String> wrong = scheduler.post(revive, "not-the-stream");
        HttpResponse<String> right = scheduler.post(revive);

        assertThat(without.statusCode()).isEqualTo(400);
        assertThat(without.body()).isEqualTo("All non-subscribe calls should include the 'Mesos-Stream-Id' header");
        assertThat(wrong.statusCode()).isEqualTo(400);
        assertThat(wrong.body()).isEqualTo("The stream ID 'not-the-stream' included in this request didn't match"
                + " the stream ID currently associated with framework ID " + scheduler.frameworkId.getValue());
        assertThat(right.statusCode()).isEqualTo(202);
    }

    @Test
    void subscribeMustNotCarryAStreamId() throws Exception {
        Call subscribe = Call.newBuilder().setType(Call.Type.SUBSCRIBE)
                .setSubscribe(Call.Subscribe.newBuilder().setFrameworkInfo(RawScheduler.info())).build();

        HttpResponse<String> response = scheduler.post(subscribe, "some-stream");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).isEqualTo("Subscribe calls should not include the 'Mesos-Stream-Id' header");
    }

    @Test
    void callsBeforeSubscribingAreRefused() throws Exception {
        Call unknown = Call.newBuilder().setType(Call.Type.REVIVE)
                .setFrameworkId(org.apache.mesos.v1.Protos.FrameworkID.newBuilder().setValue("nobody")).build();
        HttpResponse<String> neverSubscribed = scheduler.post(unknown, "s");
        HttpResponse<String> noFrameworkId = scheduler.post(Call.newBuilder().setType(Call.Type.REVIVE).build(),
                "s");
        assertThat(neverSubscribed.statusCode()).isEqualTo(400);
        assertThat(neverSubscribed.body()).isEqualTo("Framework cannot be found");
        assertThat(noFrameworkId.statusCode()).isEqualTo(400);
        assertThat(noFrameworkId.body())
                .isEqualTo("Failed to validate scheduler::Call: Expecting 'framework_id' to be present");

        scheduler.subscribe(RawScheduler.info().build());
        String oldStream = scheduler.streamId;
        master.dropConnection();
        assertThat(scheduler.ended(WAIT)).isTrue();
        HttpResponse<String> disconnected = scheduler.post(scheduler.call(Call.Type.REVIVE).build(), oldStream);

        assertThat(disconnected.statusCode()).isEqualTo(403);
        assertThat(disconnected.body()).isEqualTo("Framework is not subscribed");
    }

    @Test
    void contentTypeAcceptAndMethodAreChecked() throws Exception {
        byte[] body = Call.newBuilder().setType(Call.Type.SUBSCRIBE)
                .setSubscribe(Call.Subscribe.newBuilder().setFrameworkInfo(RawScheduler.info())).build()
                .toByteArray();
        URI uri = master.schedulerEndpoint();

        HttpResponse<String> xml = scheduler.send(HttpRequest.newBuilder(uri).header("Content-Type", "text/xml")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
        HttpResponse<String> noType = scheduler.send(HttpRequest.newBuilder(uri)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
        HttpResponse<String> acceptText = scheduler.send(HttpRequest.newBuilder(uri)
                .header("Content-Type", RawScheduler.PROTOBUF).header("Accept", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
        HttpResponse<String> get = scheduler.send(HttpRequest.newBuilder(uri).GET().build());
        HttpResponse<String> garbage = scheduler.send(HttpRequest.newBuilder(uri)
                .header("Content-Type", RawScheduler.PROTOBUF)
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[] {(byte) 0xff, 1, 2})).build());

        assertThat(xml.statusCode()).isEqualTo(415);
        assertThat(xml.body()).isEqualTo("Expecting 'Content-Type' of application/json or application/x-protobuf");
        assertThat(noType.statusCode()).isEqualTo(400);
        assertThat(noType.body()).isEqualTo("Expecting 'Content-Type' to be present");
        assertThat(acceptText.statusCode()).isEqualTo(406);
        assertThat(acceptText.body())
                .isEqualTo("Expecting 'Accept' to allow 'application/x-protobuf' or 'application/json'");
        assertThat(get.statusCode()).isEqualTo(405);
        assertThat(get.headers().firstValue("Allow")).contains("POST");
        assertThat(garbage.statusCode()).isEqualTo(400);
        assertThat(garbage.body()).isEqualTo("Failed to parse body into Call protobuf");
    }

    @Test
    void aMasterThatIsNotTheLeaderRedirectsWithAProtocolRelativeLocation() throws Exception {
        try (MesosMasterPeer leader = MesosMasterPeer.start(PeerOptions.forTests())) {
            master.notLeader(leader);

            HttpResponse<?> response = scheduler.subscribe(RawScheduler.info().build());
            HttpResponse<String> get = scheduler.send(HttpRequest.newBuilder(master.schedulerEndpoint()).GET()
                    .build());

            assertThat(response.statusCode()).isEqualTo(307);
            assertThat(response.headers().firstValue("Location"))
                    .contains("//" + leader.hostPort() + "/api/v1/scheduler");
            assertThat(get.statusCode()).as("redirect comes before the method check").isEqualTo(307);

            RawScheduler followed = new RawScheduler(URI.create("http:" + response.headers()
                    .firstValue("Location").orElseThrow()));
            assertThat(followed.subscribe(RawScheduler.info().build()).statusCode()).isEqualTo(200);
            followed.close();
        }
    }

    @Test
    void subscribingAgainClosesTheOldStreamAndKeepsTheFrameworkId() throws Exception {
        scheduler.subscribe(RawScheduler.info().build());
        RawScheduler second = new RawScheduler(master.schedulerEndpoint());

        second.subscribe(RawScheduler.info().setId(scheduler.frameworkId).build());

        assertThat(second.frameworkId).isEqualTo(scheduler.frameworkId);
        assertThat(second.streamId).isNotEqualTo(scheduler.streamId);
        assertThat(scheduler.next(Event.Type.ERROR, WAIT).getError().getMessage())
                .isEqualTo("Framework failed over");
        assertThat(scheduler.ended(WAIT)).isTrue();
        assertThat(second.post(second.call(Call.Type.REVIVE).build(), scheduler.streamId).statusCode())
                .isEqualTo(400);
        assertThat(second.post(second.call(Call.Type.REVIVE).build()).statusCode()).isEqualTo(202);
        second.close();
    }

    // ---- offers ------------------------------------------------------------------------------------------------

    @Test
    void offersCarryTheAgentsResourcesAllocatedToTheRoleWithHostnameAndAttributes() throws Exception {
        scheduler.subscribe(RawScheduler.info().build());

        Offer offer = offerNow();

        assertThat(offer.getHostname()).isEqualTo("ci-1.example");
        assertThat(offer.getAgentId().getValue()).isEqualTo("agent-1");
        assertThat(offer.getAllocationInfo().getRole()).isEqualTo("snapci");
        assertThat(offer.getResourcesList()).allMatch(r -> r.getAllocationInfo().getRole().equals("snapci"));
        assertThat(ResourceBag.of(offer.getResourcesList()).scalar("cpus")).isEqualTo(4);
        assertThat(offer.getAttributesList()).extracting(a -> a.getName()).containsExactly("tier", "rack");
        assertThat(offer.hasUnavailability()).isFalse();
    }

    @Test
    void acceptOfAnUnknownOrRescindedOfferIsAcceptedThenItsTasksAreDropped() throws Exception {
        Offer offer = subscribedAndOffered();
        assertThat(master.rescind(offer.getId())).isTrue();
        assertThat(scheduler.next(Event.Type.RESCIND, WAIT).getRescind().getOfferId()).isEqualTo(offer.getId());

        HttpResponse<String> response = scheduler.post(accept(offer, group(offer, "t1", 1, 1024,
                executor("e1", 0.1, 32, 10))));

        assertThat(response.statusCode()).isEqualTo(202);
        TaskStatus dropped = scheduler.update("t1", WAIT);
        assertThat(dropped.getState()).isEqualTo(TASK_DROPPED);
        assertThat(dropped.getReason()).isEqualTo(TaskStatus.Reason.REASON_INVALID_OFFERS);
        assertThat(dropped.getMessage()).isEqualTo("Task launched with invalid offers: Offer "
                + offer.getId().getValue() + " is no longer valid");
        assertThat(dropped.hasUuid()).as("master-made updates need no acknowledgement").isFalse();
        assertThat(dropped.getSource()).isEqualTo(TaskStatus.Source.SOURCE_MASTER);
    }

    @Test
    void aFrameworkThatIsNotPartitionAwareGetsTaskLostForAnInvalidOffer() throws Exception {
        scheduler.subscribe(RawScheduler.info().clearCapabilities().addCapabilities(FrameworkInfo.Capability
                .newBuilder().setType(FrameworkInfo.Capability.Type.MULTI_ROLE)).build());
        Offer offer = offerNow();
        Offer forged = offer.toBuilder().setId(OfferID.newBuilder().setValue("forged")).build();

        TaskStatus lost = launched(forged, group(offer, "t1", 1, 1024, executor("e1", 0.1, 32, 10)));
        assertThat(lost.getState()).isEqualTo(TASK_LOST);
        assertThat(lost.getMessage()).isEqualTo("Task launched with invalid offers: Offer forged is no longer valid");
    }

    @Test
    void askingMoreThanOfferedOrAnExecutorWithoutDiskIsATaskGroupError() throws Exception {
        Offer offer = subscribedAndOffered();

        TaskStatus error = launched(offer, group(offer, "greedy", 64, 1024, executor("e1", 0.1, 32, 10)));
        assertThat(error.getState()).isEqualTo(TASK_ERROR);
        assertThat(error.getReason()).isEqualTo(TaskStatus.Reason.REASON_TASK_GROUP_INVALID);
        assertThat(error.getMessage()).startsWith("Total resources ").contains(
                "required by task group and its executor are more than available",
                "cpus(allocated: snapci):64");

        // The unused resources came back with the ACCEPT's filter (protobuf default 5 s), as on a real master.
        master.offerNow();
        assertThat(master.outstandingOffers()).isEmpty();
        scheduler.post(scheduler.call(Call.Type.REVIVE).build());
        Offer again = offerNow();
        TaskStatus noDisk = launched(again, group(again, "no-disk", 1, 1024, executor("e2", 0.1, 32, 0)));
        assertThat(noDisk.getState()).isEqualTo(TASK_ERROR);
        assertThat(noDisk.getMessage()).isEqualTo("Executor 'e2' uses no disk");
    }

    @Test
    void aGroupTaskWithAnotherExecutorIsInvalid() throws Exception {
        Offer offer = subscribedAndOffered();
        ExecutorInfo groupExecutor = executor("e1", 0.1, 32, 10);
        TaskGroupInfo group = group(offer, "t1", 1, 256, groupExecutor);
        TaskGroupInfo mixed = group.toBuilder().setTasks(0, group.getTasks(0).toBuilder()
                .setExecutor(executor("other", 0.1, 32, 10))).build();

        scheduler.post(accept(offer, mixed, groupExecutor));

        assertThat(scheduler.update("t1", WAIT).getMessage())
                .isEqualTo("The `ExecutorInfo` of task 't1' is different from executor 'e1'");
    }

    @Test
    void aDeclineFilterKeepsTheAgentAwayForRefuseSecondsAndReviveBringsItBack() throws Exception {
        Offer offer = subscribedAndOffered();
        long declined = System.nanoTime();
        scheduler.post(scheduler.call(Call.Type.DECLINE).setDecline(Call.Decline.newBuilder()
                .addOfferIds(offer.getId()).setFilters(Filters.newBuilder().setRefuseSeconds(0.5))).build());

        master.offerNow();
        assertThat(master.outstandingOffers()).as("filtered").isEmpty();
        assertThat(MesosMasterPeer.poll(() -> {
            master.offerNow();
            return !master.outstandingOffers().isEmpty();
        }, WAIT)).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - declined)).isGreaterThanOrEqualTo(Duration.ofMillis(500));
        Offer afterFilter = scheduler.next(Event.Type.OFFERS, WAIT).getOffers().getOffers(0);
        scheduler.post(scheduler.call(Call.Type.DECLINE).setDecline(Call.Decline.newBuilder()
                .addOfferIds(afterFilter.getId()).setFilters(Filters.newBuilder().setRefuseSeconds(3600))).build());
        master.offerNow();
        assertThat(master.outstandingOffers()).isEmpty();
        scheduler.post(scheduler.call(Call.Type.REVIVE).build());

        assertThat(offerNow().getAgentId().getValue()).isEqualTo("agent-1");
    }

    @Test
    void aDeclineWithoutFiltersRefusesForTheDefaultFiveSeconds() throws Exception {
        Offer offer = subscribedAndOffered();
        scheduler.post(scheduler.call(Call.Type.DECLINE).setDecline(Call.Decline.newBuilder()
                .addOfferIds(offer.getId())).build());

        master.offerNow();

        assertThat(master.outstandingOffers()).isEmpty();
        assertThat(Filters.getDefaultInstance().getRefuseSeconds()).isEqualTo(5.0);
    }

    @Test
    void suppressStopsOffersUntilRevive() throws Exception {
        scheduler.subscribe(RawScheduler.info().build());
        assertThat(scheduler.post(scheduler.call(Call.Type.SUPPRESS).build()).statusCode()).isEqualTo(202);

        master.offerNow();
        assertThat(master.outstandingOffers()).isEmpty();
        scheduler.post(scheduler.call(Call.Type.REVIVE).build());

        assertThat(offerNow()).isNotNull();
    }

    @Test
    void maintenanceAddsUnavailabilityToOffersAndInverseOffersToFrameworksUsingTheAgent() throws Exception {
        Offer offer = subscribedAndOffered();
        launched(offer, t1(offer));
        Instant start = Instant.now().plusSeconds(3600);

        master.scheduleMaintenance("agent-1", start, Duration.ofHours(1));
        scheduler.post(scheduler.call(Call.Type.REVIVE).build()); // lifts the ACCEPT's default 5 s filter
        master.offerNow();

        Offer next = scheduler.next(Event.Type.OFFERS, WAIT).getOffers().getOffers(0);
        assertThat(next.getUnavailability().getStart().getNanoseconds())
                .isEqualTo(start.getEpochSecond() * 1_000_000_000L + start.getNano());
        Event inverse = scheduler.next(Event.Type.INVERSE_OFFERS, WAIT);
        assertThat(inverse.getInverseOffers().getInverseOffers(0).getAgentId().getValue()).isEqualTo("agent-1");
    }

    // ---- tasks and status updates ------------------------------------------------------------------------------

    @Test
    void anUnacknowledgedUpdateIsResentAndTheNextOneWaitsForItsAcknowledgement() throws Exception {
        master.onLaunch("t1", Lifecycle.of(TASK_STARTING, TASK_RUNNING));
        Offer offer = subscribedAndOffered();
        TaskStatus starting = launched(offer, t1(offer));
        TaskStatus resent = scheduler.update("t1", WAIT);

        assertThat(starting.getState()).isEqualTo(TASK_STARTING);
        assertThat(starting.getUuid().size()).isEqualTo(16);
        assertThat(resent.getState()).as("TASK_RUNNING is held back").isEqualTo(TASK_STARTING);
        assertThat(resent.getUuid()).isEqualTo(starting.getUuid());
        assertThat(master.taskState("t1")).as("the master knows the latest state").contains(TASK_RUNNING);
        assertThat(master.unacknowledged()).extracting(TaskStatus::getState)
                .containsExactly(TASK_STARTING, TASK_RUNNING);

        assertThat(scheduler.post(scheduler.call(Call.Type.ACKNOWLEDGE).setAcknowledge(Call.Acknowledge
                .newBuilder().setAgentId(starting.getAgentId()).setTaskId(starting.getTaskId())
                .setUuid(com.google.protobuf.ByteString.copyFrom(new byte[16]))).build()).statusCode())
                .as("an unknown uuid is harmless").isEqualTo(202);
        scheduler.ack(starting);
        TaskStatus running = scheduler.update("t1", WAIT);
        assertThat(running.getState()).isEqualTo(TASK_RUNNING);
        scheduler.ack(running);
        assertThat(MesosMasterPeer.poll(() -> master.unacknowledged().isEmpty(), WAIT)).isTrue();
    }

    @Test
    void explicitAndImplicitReconciliation() throws Exception {
        Offer offer = subscribedAndOffered();
        scheduler.post(accept(offer, t1(offer)));
        assertThat(master.awaitTaskState("t1", TASK_RUNNING, WAIT)).isTrue();

        scheduler.post(scheduler.call(Call.Type.RECONCILE).setReconcile(Call.Reconcile.newBuilder()
                .addTasks(Call.Reconcile.Task.newBuilder().setTaskId(TaskID.newBuilder().setValue("t1")))
                .addTasks(Call.Reconcile.Task.newBuilder().setTaskId(TaskID.newBuilder().setValue("ghost")))
                .addTasks(Call.Reconcile.Task.newBuilder().setTaskId(TaskID.newBuilder().setValue("gone"))
                        .setAgentId(AgentID.newBuilder().setValue("agent-1")))).build());

        TaskStatus known = reconciled("t1");
        assertThat(known.getState()).isEqualTo(TASK_RUNNING);
        assertThat(known.hasUuid()).isFalse();
        assertThat(known.getMessage()).isEqualTo("Reconciliation: Latest task state");
        TaskStatus ghost = reconciled("ghost");
        assertThat(ghost.getState()).isEqualTo(TASK_UNKNOWN);
        assertThat(ghost.getMessage()).isEqualTo("Reconciliation: Task is unknown");
        assertThat(reconciled("gone").getState()).isEqualTo(TASK_GONE);

        scheduler.post(scheduler.call(Call.Type.RECONCILE).setReconcile(Call.Reconcile.newBuilder()).build());
        assertThat(reconciled("t1").getState()).isEqualTo(TASK_RUNNING);
    }

    @Test
    void removingAnAgentReportsItsTasksGoneAndSendsFailure() throws Exception {
        Offer offer = subscribedAndOffered();
        scheduler.post(accept(offer, t1(offer)));
        assertThat(master.awaitTaskState("t1", TASK_RUNNING, WAIT)).isTrue();

        master.removeAgent("agent-1");

        TaskStatus gone = scheduler.next(e -> e.getType() == Event.Type.UPDATE
                && e.getUpdate().getStatus().getState() == TASK_GONE, WAIT).getUpdate().getStatus();
        assertThat(gone.getReason()).isEqualTo(TaskStatus.Reason.REASON_AGENT_REMOVED);
        assertThat(scheduler.next(Event.Type.FAILURE, WAIT).getFailure().getAgentId().getValue())
                .isEqualTo("agent-1");
        assertThat(master.liveTasks()).isEmpty();
    }

    @Test
    void whenOneTaskOfAGroupFailsTheOthersAreKilledButFinishingLeavesThemRunning() throws Exception {
        master.onLaunch("a", Lifecycle.of(TASK_STARTING, TASK_RUNNING).thenExits(0).after(Duration.ofMillis(50)));
        master.onLaunch("b", Lifecycle.runsUntilKilled());
        master.onLaunch("c", Lifecycle.of(TASK_STARTING, TASK_RUNNING).thenExits(7).after(Duration.ofMillis(300)));
        Offer offer = subscribedAndOffered();
        ExecutorInfo executor = executor("e1", 0.1, 32, 10);
        TaskGroupInfo group = TaskGroupInfo.newBuilder().addTasks(task(offer, "a", 0.5, 128))
                .addTasks(task(offer, "b", 0.5, 128)).addTasks(task(offer, "c", 0.5, 128)).build();
        scheduler.post(accept(offer, group, executor));

        assertThat(master.awaitTaskState("a", TASK_FINISHED, WAIT)).isTrue();
        assertThat(master.taskState("b")).contains(TASK_RUNNING);
        assertThat(master.awaitTaskState("c", TASK_FAILED, WAIT)).isTrue();
        assertThat(master.awaitTaskState("b", TASK_KILLED, WAIT)).isTrue();

        TaskStatus failed = ackUntil("c", TASK_FAILED);
        assertThat(failed.getMessage()).isEqualTo("Command exited with status 7");
    }

    @Test
    void killGoesThroughTaskKillingForFrameworksThatUnderstandIt() throws Exception {
        scheduler.subscribe(RawScheduler.info().addCapabilities(FrameworkInfo.Capability.newBuilder()
                .setType(FrameworkInfo.Capability.Type.TASK_KILLING_STATE)).build());
        Offer offer = offerNow();
        scheduler.post(accept(offer, t1(offer)));
        assertThat(master.awaitTaskState("t1", TASK_RUNNING, WAIT)).isTrue();

        scheduler.post(scheduler.call(Call.Type.KILL).setKill(Call.Kill.newBuilder()
                .setTaskId(TaskID.newBuilder().setValue("t1"))).build());

        ackUntil("t1", TASK_RUNNING);
        assertThat(ackUntil("t1", TASK_KILLING).getState()).isEqualTo(TASK_KILLING);
        assertThat(ackUntil("t1", TASK_KILLED).getMessage()).isEqualTo("Command terminated with signal Terminated");
        assertThat(MesosMasterPeer.poll(() -> master.liveTasks().isEmpty(), WAIT)).isTrue();
    }

    // ---- failover ----------------------------------------------------------------------------------------------

    @Test
    void aFrameworkPastItsFailoverTimeoutIsTornDownAndCannotComeBack() throws Exception {
        scheduler.subscribe(RawScheduler.info().setFailoverTimeout(0.3).build());
        Offer offer = offerNow();
        scheduler.post(accept(offer, t1(offer)));
        assertThat(master.awaitTaskState("t1", TASK_RUNNING, WAIT)).isTrue();

        master.dropConnection();
        assertThat(master.frameworkIds()).containsExactly(scheduler.frameworkId.getValue());
        assertThat(master.liveTasks()).as("tasks keep running while the framework may come back")
                .containsExactly("t1");
        assertThat(MesosMasterPeer.poll(() -> master.frameworkIds().isEmpty(), WAIT)).isTrue();
        assertThat(master.taskState("t1")).isEmpty();

        RawScheduler late = new RawScheduler(master.schedulerEndpoint());
        assertThat(late.subscribe(RawScheduler.info().setId(scheduler.frameworkId).build()).statusCode())
                .isEqualTo(200);
        assertThat(late.next(Event.Type.ERROR, WAIT).getError().getMessage()).isEqualTo("Framework has been removed");
        late.close();
    }

    @Test
    void aLeaderFailoverClosesStreamsForgetsOffersAndKeepsTasks() throws Exception {
        Offer offer = subscribedAndOffered();
        scheduler.post(accept(offer, t1(offer)));
        assertThat(master.awaitTaskState("t1", TASK_RUNNING, WAIT)).isTrue();
        scheduler.post(scheduler.call(Call.Type.REVIVE).build());
        master.offerNow();
        assertThat(master.outstandingOffers()).isNotEmpty();
        String oldMaster = master.awaitSubscribed(WAIT).getMasterInfo().getId();

        master.failover();

        assertThat(scheduler.ended(WAIT)).isTrue();
        assertThat(master.outstandingOffers()).isEmpty();
        RawScheduler again = new RawScheduler(master.schedulerEndpoint());
        again.subscribe(RawScheduler.info().setId(scheduler.frameworkId).build());
        assertThat(again.frameworkId).isEqualTo(scheduler.frameworkId);
        assertThat(master.awaitSubscribed(WAIT).getMasterInfo().getId()).isNotEqualTo(oldMaster);
        assertThat(master.liveTasks()).containsExactly("t1");
        assertThat(again.update("t1", WAIT).hasUuid()).as("unacknowledged updates are resent").isTrue();
        again.close();
    }

    // ---- helpers -----------------------------------------------------------------------------------------------

    /** Subscribed with the framework info most stories use, and the master's first offer to it. */
    private Offer subscribedAndOffered() throws java.io.IOException, InterruptedException {
        scheduler.subscribe(RawScheduler.info().build());
        return offerNow();
    }

    private Offer offerNow() throws InterruptedException {
        master.offerNow();
        return scheduler.next(Event.Type.OFFERS, WAIT).getOffers().getOffers(0);
    }

    private TaskStatus reconciled(String taskId) throws InterruptedException {
        return scheduler.next(e -> e.getType() == Event.Type.UPDATE
                && e.getUpdate().getStatus().getTaskId().getValue().equals(taskId)
                && e.getUpdate().getStatus().getReason() == TaskStatus.Reason.REASON_RECONCILIATION, WAIT)
                .getUpdate().getStatus();
    }

    /** Acknowledges the task's updates in order until one in {@code state} arrives; returns that one. */
    private TaskStatus ackUntil(String taskId, org.apache.mesos.v1.Protos.TaskState state) throws Exception {
        while (true) {
            TaskStatus status = scheduler.update(taskId, WAIT);
            if (status.hasUuid()) {
                scheduler.ack(status);
            }
            if (status.getState() == state) {
                return status;
            }
        }
    }

    /** Accepts {@code offer} with {@code group} and returns the first update of its task. */
    private TaskStatus launched(Offer offer, TaskGroupInfo group) throws java.io.IOException, InterruptedException {
        scheduler.post(accept(offer, group));
        return scheduler.update(group.getTasks(0).getTaskId().getValue(), WAIT);
    }

    private Call accept(Offer offer, TaskGroupInfo group) {
        return accept(offer, group, group.getTasks(0).getExecutor());
    }

    private Call accept(Offer offer, TaskGroupInfo group, ExecutorInfo executor) {
        TaskGroupInfo.Builder withoutExecutors = group.toBuilder();
        if (executor == group.getTasks(0).getExecutor()) {
            withoutExecutors.getTasksBuilderList().forEach(TaskInfo.Builder::clearExecutor);
        }
        return scheduler.call(Call.Type.ACCEPT).setAccept(Call.Accept.newBuilder().addOfferIds(offer.getId())
                .addOperations(Offer.Operation.newBuilder().setType(Offer.Operation.Type.LAUNCH_GROUP)
                        .setLaunchGroup(Offer.Operation.LaunchGroup.newBuilder().setExecutor(executor)
                                .setTaskGroup(withoutExecutors)))).build();
    }

    /** The task most stories launch: t1 (1 cpu, 256 MB), run by executor e1 (0.1 cpu, 32 MB, 10 MB disk). */
    private TaskGroupInfo t1(Offer offer) {
        return group(offer, "t1", 1, 256, executor("e1", 0.1, 32, 10));
    }

    /** A one-task group; the executor rides on the task only so {@link #accept} can find it. */
    private TaskGroupInfo group(Offer offer, String name, double cpus, double mem, ExecutorInfo executor) {
        return TaskGroupInfo.newBuilder().addTasks(task(offer, name, cpus, mem).toBuilder().setExecutor(executor))
                .build();
    }

    private static TaskInfo task(Offer offer, String name, double cpus, double mem) {
        return TaskInfo.newBuilder().setName(name).setTaskId(TaskID.newBuilder().setValue(name))
                .setAgentId(offer.getAgentId())
                .addResources(scalar("cpus", cpus)).addResources(scalar("mem", mem)).build();
    }

    private ExecutorInfo executor(String id, double cpus, double mem, double disk) {
        ExecutorInfo.Builder e = ExecutorInfo.newBuilder().setType(ExecutorInfo.Type.DEFAULT)
                .setExecutorId(ExecutorID.newBuilder().setValue(id)).setFrameworkId(scheduler.frameworkId)
                .addResources(scalar("cpus", cpus)).addResources(scalar("mem", mem));
        if (disk > 0) {
            e.addResources(scalar("disk", disk));
        }
        return e.build();
    }

    private static Resource scalar(String name, double value) {
        return Resource.newBuilder().setName(name).setType(Value.Type.SCALAR)
                .setScalar(Value.Scalar.newBuilder().setValue(value))
                .setAllocationInfo(Resource.AllocationInfo.newBuilder().setRole("snapci")).build();
    }
}
