package io.snapci.scheduler.mesos.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.OfferID;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.junit.jupiter.api.Test;

/** The small pure parts: endpoints and redirects, config validation, backoff, call builders, basic auth. */
class TransportPiecesTest {

    @Test
    void schedulerEndpointFromMasterAddress() {
        assertThat(MesosClientConfig.forMaster("http://master.mesos:5050").schedulerEndpoint())
                .isEqualTo(URI.create("http://master.mesos:5050/api/v1/scheduler"));
        assertThat(MesosClientConfig.forMaster("https://m:5050/").schedulerEndpoint())
                .isEqualTo(URI.create("https://m:5050/api/v1/scheduler"));
        assertThat(MesosClientConfig.forMaster("http://m:5050/mesos/api/v1/scheduler").schedulerEndpoint())
                .isEqualTo(URI.create("http://m:5050/mesos/api/v1/scheduler"));
    }

    @Test
    void rejectsZookeeperAndOtherSchemesClearly() {
        assertThatThrownBy(() -> MesosClientConfig.forMaster("zk://zk-1:2181,zk-2:2181/mesos"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("zk:// master URIs are not supported")
                .hasMessageContaining("http://leader.mesos:5050");
        assertThatThrownBy(() -> MesosClientConfig.forMaster("ftp://m"))
                .hasMessageContaining("http:// or https://");
    }

    @Test
    void resolvesRedirectLocations() {
        URI https = URI.create("https://standby:5050/api/v1/scheduler");
        URI http = URI.create("http://standby:5050/api/v1/scheduler");
        assertThat(Endpoints.resolveRedirect(https, "//leader:5050/api/v1/scheduler"))
                .isEqualTo(URI.create("https://leader:5050/api/v1/scheduler"));
        assertThat(Endpoints.resolveRedirect(http, "//leader:5050"))
                .isEqualTo(URI.create("http://leader:5050/api/v1/scheduler"));
        assertThat(Endpoints.resolveRedirect(http, "leader:5050"))
                .isEqualTo(URI.create("http://leader:5050/api/v1/scheduler"));
        assertThat(Endpoints.resolveRedirect(http, "http://10.0.0.3:5050/api/v1/scheduler"))
                .isEqualTo(URI.create("http://10.0.0.3:5050/api/v1/scheduler"));
    }

    @Test
    void backoffDoublesUpToTheMaximumAndResets() {
        Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofMillis(1000), false, () -> 0.5);
        List<Long> delays = new ArrayList<>();
        for (int i = 0; i < 70; i++) {
            delays.add(backoff.next().toMillis());
        }
        assertThat(delays.subList(0, 6)).containsExactly(100L, 200L, 400L, 800L, 1000L, 1000L);
        assertThat(delays.get(69)).isEqualTo(1000L);
        backoff.reset();
        assertThat(backoff.next()).isEqualTo(Duration.ofMillis(100));
    }

    @Test
    void fullJitterStaysBelowTheCeiling() {
        Backoff low = new Backoff(Duration.ofMillis(100), Duration.ofMillis(1000), true, () -> 0.0);
        Backoff high = new Backoff(Duration.ofMillis(100), Duration.ofMillis(1000), true, () -> 0.999);
        low.next();
        high.next();
        assertThat(low.next()).isEqualTo(Duration.ZERO);
        assertThat(high.next().toMillis()).isBetween(190L, 199L);
    }

    @Test
    void callsCarryTheFrameworkId() {
        FrameworkID id = FrameworkID.newBuilder().setValue("fw-9").build();
        Calls calls = new Calls(() -> Optional.of(id));
        OfferID offer = OfferID.newBuilder().setValue("o1").build();
        TaskID task = TaskID.newBuilder().setValue("t1").build();
        AgentID agent = AgentID.newBuilder().setValue("a1").build();

        Call decline = calls.decline(List.of(offer), 30);
        assertThat(decline.getType()).isEqualTo(Call.Type.DECLINE);
        assertThat(decline.getFrameworkId()).isEqualTo(id);
        assertThat(decline.getDecline().getOfferIdsList()).containsExactly(offer);
        assertThat(decline.getDecline().getFilters().getRefuseSeconds()).isEqualTo(30.0);

        Call accept = calls.accept(List.of(offer), List.of(), 5);
        assertThat(accept.getAccept().getFilters().getRefuseSeconds()).isEqualTo(5.0);

        Call ack = calls.acknowledge(agent, task, ByteString.copyFromUtf8("uuid"));
        assertThat(ack.getAcknowledge().getUuid().toStringUtf8()).isEqualTo("uuid");
        assertThat(ack.getFrameworkId()).isEqualTo(id);

        Call reconcile = calls.reconcile(
                List.of(new Calls.TaskOnAgent(task, agent), new Calls.TaskOnAgent(task, null)));
        assertThat(reconcile.getReconcile().getTasksList()).hasSize(2);
        assertThat(reconcile.getReconcile().getTasks(1).hasAgentId()).isFalse();
        assertThat(calls.reconcile(List.of()).getReconcile().getTasksCount()).isZero();

        assertThat(calls.reviveAll().getType()).isEqualTo(Call.Type.REVIVE);
        assertThat(calls.revive(List.of("ci")).getRevive().getRolesList()).containsExactly("ci");
        assertThat(calls.suppress(List.of("ci")).getSuppress().getRolesList()).containsExactly("ci");
        assertThat(calls.kill(task, null).getKill().hasAgentId()).isFalse();
        assertThat(calls.teardown().getType()).isEqualTo(Call.Type.TEARDOWN);
        assertThat(calls.teardown().getFrameworkId()).isEqualTo(id);
    }

    @Test
    void callsNeedAFrameworkId() {
        Calls calls = new Calls(Optional::empty);
        assertThatThrownBy(calls::reviveAll)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("SUBSCRIBED");
        Calls withId = new Calls(() -> Optional.of(FrameworkID.newBuilder().setValue("f").build()));
        assertThatThrownBy(() -> withId.decline(List.of(), -1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void basicAuthHeader() throws Exception {
        String header = new BasicAuth("snapci", "s3cret").authorizationHeader().orElseThrow();
        assertThat(header).startsWith("Basic ");
        assertThat(new String(Base64.getDecoder().decode(header.substring(6)), StandardCharsets.UTF_8))
                .isEqualTo("snapci:s3cret");
        assertThat(Authenticator.none().authorizationHeader()).isEmpty();
    }
}
