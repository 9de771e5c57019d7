package io.snapci.scheduler.mesos.transport;

import static io.snapci.scheduler.mesos.transport.FakeMaster.errorStream;
import static io.snapci.scheduler.mesos.transport.FakeMaster.hang;
import static io.snapci.scheduler.mesos.transport.FakeMaster.redirect;
import static io.snapci.scheduler.mesos.transport.FakeMaster.silentStream;
import static io.snapci.scheduler.mesos.transport.FakeMaster.status;
import static io.snapci.scheduler.mesos.transport.RecordingHandler.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.OfferID;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MesosSchedulerClientTest {

    private static final String BASIC = "Basic c25hcGNpOnB3"; // snapci:pw

    private FakeMaster master;
    private final RecordingHandler handler = new RecordingHandler();
    private final List<Duration> sleeps = new CopyOnWriteArrayList<>();
    private final AtomicInteger frameworkInfoAsked = new AtomicInteger();
    private MesosSchedulerClient client;

    @BeforeEach
    void startMaster() throws IOException {
        master = new FakeMaster();
    }

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        master.close();
    }

    @Test
    void subscribesDeliversEventsInOrderAndSendsCallsWithTheStreamId() throws Exception {
        client = start(config(master), new BasicAuth("snapci", "pw"));
        await(client::isSubscribed, "SUBSCRIBED");

        assertThat(client.frameworkId()).contains(fwId(FakeMaster.DEFAULT_FRAMEWORK_ID));
        assertThat(client.streamId()).contains("stream-1");
        assertThat(client.leader()).contains(master.uri().resolve(Endpoints.SCHEDULER_PATH));

        master.push(offers("o1"));
        master.push(Event.newBuilder().setType(Event.Type.RESCIND)
                .setRescind(Event.Rescind.newBuilder().setOfferId(offerId("o1"))).build());
        master.push(update("t1"));
        await(() -> handler.log.size() >= 4, "three events");
        assertThat(handler.log).containsExactly("SUBSCRIBED:fw-1", "OFFERS:o1", "RESCIND:o1", "UPDATE:t1");

        client.send(client.calls().decline(List.of(offerId("o1")), 5));

        FakeMaster.Request subscribe = master.subscribes().get(0);
        assertThat(subscribe.streamId()).as("SUBSCRIBE never carries a stream id").isNull();
        FakeMaster.Request decline = master.calls().get(0);
        assertThat(decline.call().getType()).isEqualTo(Call.Type.DECLINE);
        assertThat(decline.call().getFrameworkId()).isEqualTo(fwId("fw-1"));
        assertThat(decline.streamId()).isEqualTo("stream-1");
        for (FakeMaster.Request r : master.requests()) {
            assertThat(r.contentType()).isEqualTo("application/x-protobuf");
            assertThat(r.accept()).isEqualTo("application/x-protobuf");
            assertThat(r.authorization()).isEqualTo(BASIC);
        }
        await(() -> handler.heartbeats.get() >= 2, "heartbeats");
        assertThat(handler.disconnects).isEmpty();
    }

    @Test
    void aHandlerThatThrowsIsReportedOnceAndTheClientStopsBeforeTheNextEvent() throws Exception {
        List<String> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        SchedulerEventHandler failingOnUpdate = new RecordingHandler() {
            @Override
            public void onUpdate(Event.Update update) {
                super.onUpdate(update);
                throw new IllegalStateException("the run store is gone");
            }
        };
        client = new MesosSchedulerClient(config(master), Authenticator.none());
        client.start(this::frameworkInfo, failingOnUpdate, failures::add);
        await(client::isSubscribed, "SUBSCRIBED");

        master.push(update("t1"));
        master.push(update("t2"));
        master.push(offers("o1"));
        await(() -> !failures.isEmpty(), "the failure reported");
        Thread.sleep(300);  // what would still be handled, if the client went on

        assertThat(failures).singleElement().asString().contains("UPDATE").contains("the run store is gone");
        assertThat(((RecordingHandler) failingOnUpdate).log).containsExactly("SUBSCRIBED:fw-1", "UPDATE:t1");
        assertThat(client.isSubscribed()).isFalse();
        assertThatThrownBy(() -> client.send(client.calls().reviveAll())).isInstanceOf(MesosCallException.class);
    }

    @Test
    void aSubscribeAnsweredWithoutAStreamIdIsNoSubscriptionAndIsTriedAgain() {
        master.enqueueSubscribe(FakeMaster.streamWithoutId(15), FakeMaster.stream(15));
        client = start(config(master), Authenticator.none());
        // The client is subscribed a moment before its handler hears SUBSCRIBED: wait for both.
        await(() -> client.isSubscribed() && !handler.subscribed.isEmpty(), "SUBSCRIBED on the second try");

        assertThat(handler.disconnects).singleElement().asString().contains("without a Mesos-Stream-Id header");
        assertThat(handler.subscribed).as("the stream without an id was never taken for a subscription").hasSize(1);
        assertThat(client.streamId()).contains("stream-2");
    }

    @Test
    void rejectedCallsCarryStatusAndBody() throws Exception {
        client = start(config(master), Authenticator.none());
        await(client::isSubscribed, "SUBSCRIBED");
        master.enqueueCall(status(400, "The stream ID 'x' included in this request didn't match"), status(503, "busy"));

        MesosCallException rejected = catchThrowableOfType(MesosCallException.class,
                () -> client.send(client.calls().reviveAll()));
        assertThat(rejected.status()).isEqualTo(400);
        assertThat(rejected.body()).contains("didn't match");
        assertThat(rejected.getMessage()).contains("REVIVE answered HTTP 400");
        assertThat(rejected.retryable()).isFalse();

        MesosCallException busy = catchThrowableOfType(MesosCallException.class,
                () -> client.send(client.calls().reviveAll()));
        assertThat(busy.status()).isEqualTo(503);
        assertThat(busy.retryable()).isTrue();
    }

    @Test
    void refusesCallsBeforeSubscribed() {
        client = new MesosSchedulerClient(config(master), this::frameworkInfo, Authenticator.none(), handler);
        Call revive = Call.newBuilder().setType(Call.Type.REVIVE).setFrameworkId(fwId("fw-1")).build();

        MesosCallException e = catchThrowableOfType(MesosCallException.class, () -> client.send(revive));

        assertThat(e.retryable()).isTrue();
        assertThat(e.getMessage()).contains("not subscribed");
        assertThat(master.requests()).isEmpty();
    }

    @Test
    void followsProtocolRelativeRedirectsForSubscribeAndCalls() throws Exception {
        try (FakeMaster leader = new FakeMaster()) {
            master.enqueueSubscribe(redirect(leader.location()));
            client = start(config(master), Authenticator.none());
            await(client::isSubscribed, "SUBSCRIBED");

            assertThat(master.subscribes()).hasSize(1);
            assertThat(leader.subscribes()).hasSize(1);
            URI leaderEndpoint = leader.uri().resolve(Endpoints.SCHEDULER_PATH);
            assertThat(client.leader()).contains(leaderEndpoint);

            client.send(client.calls().reviveAll());
            assertThat(leader.calls()).hasSize(1);
            assertThat(master.calls()).isEmpty();

            // Leadership moves back: the call is redirected once, and the new leader is remembered.
            leader.enqueueCall(redirect(master.location()));
            client.send(client.calls().suppress(List.of()));
            assertThat(master.calls()).singleElement()
                    .satisfies(r -> assertThat(r.call().getType()).isEqualTo(Call.Type.SUPPRESS))
                    .satisfies(r -> assertThat(r.streamId()).isEqualTo("stream-1"));
            assertThat(client.leader()).contains(master.uri().resolve(Endpoints.SCHEDULER_PATH));
            client.close();
        }
    }

    @Test
    void resubscribesToTheKnownLeaderFirstAndFallsBackToTheConfiguredMaster() throws Exception {
        try (FakeMaster leader = new FakeMaster()) {
            resubscribeToLeaderThenFallBack(leader);
        }
    }

    private void resubscribeToLeaderThenFallBack(FakeMaster leader) {
        master.enqueueSubscribe(redirect(leader.location()));
        client = start(config(master), Authenticator.none());
        await(client::isSubscribed, "SUBSCRIBED at the leader");

        leader.dropStreams(); // a blip: reconnect straight to the leader, no redirect hop
        await(() -> handler.subscribed.size() == 2, "second SUBSCRIBED");
        assertThat(leader.subscribes()).hasSize(2);
        assertThat(master.subscribes()).hasSize(1);

        leader.close(); // the leader is gone for good: the configured master (now leading) takes over
        await(() -> handler.subscribed.size() == 3, "SUBSCRIBED at the configured master");
        assertThat(master.subscribes()).hasSize(2);
        assertThat(client.leader()).contains(master.uri().resolve(Endpoints.SCHEDULER_PATH));
        assertThat(handler.disconnects).anySatisfy(r -> assertThat(r).contains("connection lost"));
    }

    @Test
    void aFailingFrameworkInfoSupplierIsRetriedNotSubscribedWithout() {
        AtomicInteger calls = new AtomicInteger();
        MesosClientConfig config = config(master);
        client = new MesosSchedulerClient(config, () -> {
            if (calls.incrementAndGet() == 1) {
                throw new IllegalStateException("framework id store unavailable");
            }
            return frameworkInfo();
        }, Authenticator.none(), handler, MesosSchedulerClient.defaultHttpClient(config), this::recordSleep);
        client.start();

        await(client::isSubscribed, "SUBSCRIBED");
        assertThat(handler.disconnects).singleElement().asString().contains("framework id store unavailable");
        assertThat(master.subscribes()).hasSize(1);
    }

    @Test
    void resubscribesAfterTheStreamEndsWithTheFrameworkIdFromTheSupplier() throws Exception {
        client = start(config(master), Authenticator.none());
        await(client::isSubscribed, "first SUBSCRIBED");

        master.dropStreams();
        await(() -> handler.subscribed.size() == 2, "second SUBSCRIBED");

        assertThat(handler.disconnects).singleElement().asString().contains("ended the stream");
        List<FakeMaster.Request> subscribes = master.subscribes();
        assertThat(subscribes).hasSize(2);
        assertThat(subscribes.get(0).call().getSubscribe().getFrameworkInfo().hasId()).isFalse();
        assertThat(subscribes.get(1).call().getSubscribe().getFrameworkInfo().getId()).isEqualTo(fwId("fw-1"));
        assertThat(subscribes.get(1).call().getFrameworkId()).isEqualTo(fwId("fw-1"));
        assertThat(frameworkInfoAsked.get()).isEqualTo(2);

        assertThat(client.streamId()).contains("stream-2");
        client.send(client.calls().reviveAll());
        assertThat(master.calls().get(0).streamId()).isEqualTo("stream-2");
    }

    @Test
    void resubscribesWhenHeartbeatsStop() {
        master.enqueueSubscribe(silentStream(0.03)); // watchdog: 5 × 30 ms
        client = start(config(master), Authenticator.none());

        await(() -> handler.subscribed.size() == 2, "resubscription");

        assertThat(handler.disconnects.get(0)).contains("no event from the master").contains("5 heartbeat intervals");
        assertThat(master.subscribes()).hasSize(2);
    }

    @Test
    void resubscribesWhenSubscribedNeverComes() {
        master.enqueueSubscribe(hang());
        client = start(config(master).withSubscribeTimeout(Duration.ofMillis(200)), Authenticator.none());

        await(() -> handler.subscribed.size() == 1, "SUBSCRIBED on the second attempt");

        assertThat(handler.disconnects).singleElement().asString().contains("no SUBSCRIBED");
    }

    @Test
    void backoffGrowsOnFailuresAndResetsAfterSubscribed() {
        master.enqueueSubscribe(status(503, "no leader"), status(503, "no leader"), status(503, "no leader"),
                status(503, "no leader"));
        client = start(config(master), Authenticator.none());
        await(client::isSubscribed, "SUBSCRIBED");

        assertThat(sleeps).containsExactly(ms(5), ms(10), ms(20), ms(20));
        assertThat(handler.disconnects).hasSize(4).allSatisfy(r -> assertThat(r).contains("HTTP 503: no leader"));

        master.dropStreams();
        await(() -> handler.subscribed.size() == 2, "second SUBSCRIBED");
        assertThat(sleeps).hasSize(5).last().isEqualTo(ms(5));
    }

    @Test
    void errorEventStopsTheClientForGood() throws Exception {
        master.enqueueSubscribe(errorStream("Framework has been removed"));
        client = start(config(master), Authenticator.none());

        await(() -> !handler.errors.isEmpty(), "ERROR");
        Thread.sleep(150); // several backoff periods: no new attempt may come

        assertThat(handler.errors).containsExactly("Framework has been removed");
        assertThat(handler.disconnects).isEmpty();
        assertThat(master.subscribes()).hasSize(1);
        MesosCallException e = catchThrowableOfType(MesosCallException.class,
                () -> client.send(Call.newBuilder().setType(Call.Type.REVIVE).build()));
        assertThat(e.retryable()).isFalse();
        assertThat(e.getMessage()).contains("Framework has been removed");
    }

    @Test
    void errorAfterSubscribedAlsoStopsTheClient() throws Exception {
        client = start(config(master), Authenticator.none());
        await(client::isSubscribed, "SUBSCRIBED");

        master.push(Event.newBuilder().setType(Event.Type.ERROR)
                .setError(Event.Error.newBuilder().setMessage("superseded by a newer subscription")).build());

        await(() -> !handler.errors.isEmpty(), "ERROR");
        Thread.sleep(150);
        assertThat(client.isSubscribed()).isFalse();
        assertThat(master.subscribes()).hasSize(1);
        assertThat(handler.disconnects).isEmpty();
    }

    @Test
    void unauthorizedInvalidatesTheCredentialAndRetriesOnce() throws Exception {
        CountingAuth auth = new CountingAuth();
        master.enqueueSubscribe(status(401, "token expired"));
        client = start(config(master), auth);
        await(client::isSubscribed, "SUBSCRIBED");

        assertThat(handler.disconnects).isEmpty();
        assertThat(master.subscribes()).extracting(FakeMaster.Request::authorization)
                .containsExactly("token=t1", "token=t2");

        master.enqueueCall(status(401, ""));
        client.send(client.calls().reviveAll());
        assertThat(master.calls()).extracting(FakeMaster.Request::authorization)
                .containsExactly("token=t2", "token=t3");

        master.enqueueCall(status(401, ""), status(401, "still not allowed"));
        MesosCallException e = catchThrowableOfType(MesosCallException.class,
                () -> client.send(client.calls().reviveAll()));
        assertThat(e.status()).isEqualTo(401);
        assertThat(e.body()).isEqualTo("still not allowed");
        assertThat(auth.invalidations.get()).isEqualTo(3);
    }

    @Test
    void closeIsPromptWhileStreaming() {
        client = start(config(master), new BasicAuth("snapci", "pw"));
        await(client::isSubscribed, "SUBSCRIBED");
        await(() -> master.openStreamCount() == 1, "stream open");

        assertPromptClose();

        assertThat(client.isSubscribed()).isFalse();
        await(() -> master.openStreamCount() == 0, "the master to see the connection drop");
        await(() -> Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.getName().equals("mesos-subscription-reader") && t.isAlive()), "reader gone");
        assertThat(handler.disconnects).isEmpty();
    }

    @Test
    void closeIsPromptDuringBackoff() {
        master.enqueueSubscribe(status(503, "no leader"));
        MesosClientConfig slow = config(master).withBackoff(Duration.ofSeconds(30), Duration.ofSeconds(30), false);
        client = start(slow, Authenticator.none());
        await(() -> !sleeps.isEmpty(), "backoff");

        assertPromptClose();
        assertThat(master.subscribes()).hasSize(1);
    }

    @Test
    void closeIsPromptWhileSubscribeIsUnanswered() {
        master.enqueueSubscribe(hang());
        client = start(config(master).withSubscribeTimeout(Duration.ofSeconds(30)), Authenticator.none());
        await(() -> master.subscribes().size() == 1, "SUBSCRIBE sent");

        assertPromptClose();
        assertThat(handler.disconnects).isEmpty();
    }

    // ---- helpers ----

    private void assertPromptClose() {
        long start = System.nanoTime();
        client.close();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(1000));
        assertThat(Thread.getAllStackTraces().keySet())
                .noneMatch(t -> t.getName().equals("mesos-subscription") && t.isAlive());
    }

    private MesosSchedulerClient start(MesosClientConfig config, Authenticator auth) {
        MesosSchedulerClient c = new MesosSchedulerClient(config, this::frameworkInfo, auth, handler,
                MesosSchedulerClient.defaultHttpClient(config), this::recordSleep);
        c.start();
        return c;
    }

    private void recordSleep(Duration d) throws InterruptedException {
        sleeps.add(d);
        Thread.sleep(d.toMillis());
    }

    /** Like a real caller: the persisted framework id (here, the last SUBSCRIBED) goes into the info. */
    private FrameworkInfo frameworkInfo() {
        frameworkInfoAsked.incrementAndGet();
        FrameworkInfo.Builder info = FrameworkInfo.newBuilder().setUser("snapci").setName("snapci")
                .setFailoverTimeout(Duration.ofDays(28).toSeconds());
        if (!handler.subscribed.isEmpty()) {
            info.setId(handler.subscribed.get(handler.subscribed.size() - 1).getFrameworkId());
        }
        return info.build();
    }

    private static MesosClientConfig config(FakeMaster master) {
        return MesosClientConfig.forMaster(master.uri())
                .withBackoff(ms(5), ms(20), false)
                .withSubscribeTimeout(Duration.ofSeconds(3))
                .withRequestTimeout(Duration.ofSeconds(3));
    }

    private static Duration ms(long millis) {
        return Duration.ofMillis(millis);
    }

    private static FrameworkID fwId(String id) {
        return FrameworkID.newBuilder().setValue(id).build();
    }

    private static OfferID offerId(String id) {
        return OfferID.newBuilder().setValue(id).build();
    }

    private static Event offers(String id) {
        Offer offer = Offer.newBuilder().setId(offerId(id)).setFrameworkId(fwId("fw-1"))
                .setAgentId(AgentID.newBuilder().setValue("a1")).setHostname("agent-1").build();
        return Event.newBuilder().setType(Event.Type.OFFERS)
                .setOffers(Event.Offers.newBuilder().addOffers(offer)).build();
    }

    private static Event update(String taskId) {
        TaskStatus status = TaskStatus.newBuilder().setTaskId(TaskID.newBuilder().setValue(taskId))
                .setState(TaskState.TASK_RUNNING).build();
        return Event.newBuilder().setType(Event.Type.UPDATE)
                .setUpdate(Event.Update.newBuilder().setStatus(status)).build();
    }

    /** Hands out token=t1, t2, ...: a new one after each invalidate(). */
    private static final class CountingAuth implements Authenticator {
        final AtomicInteger invalidations = new AtomicInteger();

        @Override
        public Optional<String> authorizationHeader() {
            return Optional.of("token=t" + (invalidations.get() + 1));
        }

        @Override
        public void invalidate() {
            invalidations.incrementAndGet();
        }
    }
}
