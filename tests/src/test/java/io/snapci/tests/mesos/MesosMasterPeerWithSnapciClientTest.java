package io.snapci.tests.mesos;

import static org.assertj.core.api.Assertions.assertThat;

import io.snapci.scheduler.mesos.transport.Authenticator;
import io.snapci.scheduler.mesos.transport.MesosClientConfig;
import io.snapci.scheduler.mesos.transport.MesosSchedulerClient;
import io.snapci.scheduler.mesos.transport.SchedulerEventHandler;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.junit.jupiter.api.Test;

/** snapci's own transport against the peer: subscribe, offers, heartbeats, a dropped connection, a new leader. */
class MesosMasterPeerWithSnapciClientTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    /** Records what the client hears. */
    private static final class Heard implements SchedulerEventHandler {
        final List<Event.Subscribed> subscribed = new CopyOnWriteArrayList<>();
        final List<Offer> offers = new CopyOnWriteArrayList<>();
        final AtomicInteger heartbeats = new AtomicInteger();
        final List<String> disconnections = new CopyOnWriteArrayList<>();
        final List<String> errors = new CopyOnWriteArrayList<>();

        @Override
        public void onSubscribed(Event.Subscribed s) {
            subscribed.add(s);
        }

        @Override
        public void onOffers(Event.Offers o) {
            offers.addAll(o.getOffersList());
        }

        @Override
        public void onHeartbeat() {
            heartbeats.incrementAndGet();
        }

        @Override
        public void onDisconnected(String reason) {
            disconnections.add(reason);
        }

        @Override
        public void onError(String message) {
            errors.add(message);
        }
    }

    private static FrameworkInfo info() {
        return FrameworkInfo.newBuilder().setUser("nobody").setName("snapci").addRoles("snapci")
                .setFailoverTimeout(60)
                .addCapabilities(FrameworkInfo.Capability.newBuilder()
                        .setType(FrameworkInfo.Capability.Type.MULTI_ROLE))
                .build();
    }

    private static MesosClientConfig config(MesosMasterPeer master) {
        return MesosClientConfig.forMaster(master.url())
                .withBackoff(Duration.ofMillis(20), Duration.ofMillis(100), false)
                .withSubscribeTimeout(Duration.ofSeconds(5))
                .withRequestTimeout(Duration.ofSeconds(5));
    }

    @Test
    void snapcisClientSubscribesGetsOffersAndHeartbeatsAndResubscribesAfterADrop() throws Exception {
        Heard heard = new Heard();
        try (MesosMasterPeer master = MesosMasterPeer.start(PeerOptions.forTests());
             MesosSchedulerClient client = new MesosSchedulerClient(config(master), MesosMasterPeerWithSnapciClientTest::info,
                     Authenticator.none(), heard)) {
            master.addAgent(AgentSpec.agent("ci-1").attribute("tier", "ci").build());
            client.start();
            Event.Subscribed first = master.awaitSubscribed(WAIT);

            master.offerNow();
            assertThat(MesosMasterPeer.poll(() -> heard.offers.size() == 1, WAIT)).isTrue();
            assertThat(MesosMasterPeer.poll(() -> heard.heartbeats.get() >= 3, WAIT)).isTrue();
            client.send(client.calls().decline(List.of(heard.offers.get(0).getId()), 0));
            assertThat(master.awaitCall(Call.Type.DECLINE, WAIT).getDecline().getOfferIds(0))
                    .isEqualTo(heard.offers.get(0).getId());

            master.dropConnection();
            Event.Subscribed second = master.awaitSubscribed(WAIT);

            assertThat(second.getFrameworkId()).isEqualTo(first.getFrameworkId());
            assertThat(heard.disconnections).hasSize(1);
            assertThat(MesosMasterPeer.poll(() -> client.isSubscribed(), WAIT)).isTrue();
            client.send(client.calls().reviveAll());
            assertThat(master.awaitCall(Call.Type.REVIVE, WAIT).getFrameworkId()).isEqualTo(first.getFrameworkId());
            assertThat(master.frameworkIds()).containsExactly(first.getFrameworkId().getValue());
            assertThat(heard.errors).isEmpty();
        }
    }

    @Test
    void snapcisClientFollowsTheRedirectToTheNewLeader() throws Exception {
        Heard heard = new Heard();
        try (MesosMasterPeer standby = MesosMasterPeer.start(PeerOptions.forTests());
             MesosMasterPeer leader = MesosMasterPeer.start(PeerOptions.forTests());
             MesosSchedulerClient client = new MesosSchedulerClient(config(standby),
                     MesosMasterPeerWithSnapciClientTest::info, Authenticator.none(), heard)) {
            standby.notLeader(leader);
            client.start();

            leader.awaitSubscribed(WAIT);
            assertThat(MesosMasterPeer.poll(client::isSubscribed, WAIT)).isTrue(); // the client has read SUBSCRIBED

            assertThat(client.leader()).hasValueSatisfying(uri -> assertThat(uri.getPort())
                    .isEqualTo(leader.url().getPort()));
            assertThat(standby.frameworkIds()).isEmpty();
        }
    }
}
