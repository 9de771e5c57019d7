package io.snapci.tests.portworx;

import io.snapci.scheduler.core.testkit.MutableClock;

import io.snapci.scheduler.portworx.sdk.GrpcCode;
import io.snapci.scheduler.portworx.sdk.Messages;
import io.snapci.scheduler.portworx.sdk.OpenStorageClient;
import io.snapci.scheduler.portworx.sdk.RetryPolicy;
import io.snapci.scheduler.portworx.sdk.SdkConfig;
import io.snapci.scheduler.portworx.sdk.SdkException;
import io.snapci.scheduler.portworx.sdk.Volume;
import io.snapci.scheduler.portworx.sdk.VolumeSpecUpdate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The peer's rules, exercised through snapci's typed client over loopback HTTP: both sides are under test, the
 * client's field names against the peer's hand-built JSON, the peer's semantics against the SDK's.
 */
class OpenStorageSdkPeerTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T10:00:00Z"));
    private OpenStorageSdkPeer peer;
    private OpenStorageClient client;
    private String production;

    @BeforeEach
    void start() throws Exception {
        peer = new OpenStorageSdkPeer(clock);
        client = client(SdkConfig.of(peer.endpoint()).withRetry(RetryPolicy.none()));
        production = peer.addVolume("cassandra-prod", Map.of("app", "shop"), 100L << 30);
    }

    @AfterEach
    void stop() {
        peer.close();
    }

    private static OpenStorageClient client(SdkConfig config) {
        return new OpenStorageClient(config, d -> { });
    }

    @Test
    void aSnapshotIsAReadOnlyChildWithItsLabelsFoundByNameByLabelsAndByEnumeration() throws Exception {
        String snap = client.snapshotCreate(production, "nightly-1", Map.of("created-by", "snapci"));

        Volume inspected = client.inspect(snap).volume();
        assertThat(inspected.readonly()).isTrue();
        assertThat(inspected.parent()).isEqualTo(production);
        assertThat(inspected.name()).isEqualTo("nightly-1");
        assertThat(inspected.labels()).containsEntry("created-by", "snapci");
        assertThat(inspected.ctime()).isEqualTo(clock.instant());
        assertThat(inspected.spec().size()).isEqualTo(100L << 30);
        assertThat(inspected.spec().cos()).isEqualTo("HIGH");

        assertThat(client.inspectWithFilters("nightly-1", null)).extracting(r -> r.volume().id()).containsExactly(snap);
        assertThat(client.inspectWithFilters(null, Map.of("created-by", "snapci")))
                .extracting(Messages.InspectResponse::name).containsExactly("nightly-1");
        assertThat(client.inspectWithFilters(null, Map.of("created-by", "someone-else"))).isEmpty();
        assertThat(client.snapshotEnumerate(production)).containsExactly(snap);
        assertThat(client.inspect("cassandra-prod").volume().id()).as("inspect accepts a name").isEqualTo(production);
    }

    @Test
    void theWireFormatIsProto3JsonWithProtoFieldNames() throws Exception {
        String snap = client.snapshotCreate(production, "s1", Map.of("k", "v"));
        HttpResponse<String> raw = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(peer.endpoint() + "/v1/volumes/inspect/" + snap)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(raw.body()).contains("\"size\":\"107374182400\"", "\"volume_labels\":{\"k\":\"v\"}",
                "\"parent\":\"" + production + "\"", "\"readonly\":true", "\"io_profile\":\"IO_PROFILE_DB\"");
    }

    @Test
    void aCloneNeedsAnExistingParentIsWritableAndCarriesNoLabels() throws Exception {
        assertThatThrownBy(() -> client.clone("c1", "no-such-snapshot"))
                .isInstanceOfSatisfying(SdkException.class, e -> {
                    assertThat(e.code()).isEqualTo(GrpcCode.NOT_FOUND);
                    assertThat(e.httpStatus()).isEqualTo(404);
                    assertThat(e.portworxMessage()).isEqualTo("Volume id no-such-snapshot not found");
                });
        String snap = client.snapshotCreate(production, "s1", Map.of("created-by", "snapci"));
        String clone = client.clone("c1", snap);
        Volume v = client.inspect(clone).volume();
        assertThat(v.readonly()).isFalse();
        assertThat(v.parent()).isEqualTo(snap);
        assertThat(v.labels()).isEmpty();
    }

    @Test
    void namesAreUniqueACloneRetriedWithTheSameParentIsTheSameVolume() throws Exception {
        String snap = client.snapshotCreate(production, "s1", Map.of());
        String other = client.snapshotCreate(production, "s2", Map.of());
        String clone = client.clone("c1", snap);
        assertThat(client.clone("c1", snap)).isEqualTo(clone);
        assertThatThrownBy(() -> client.clone("c1", other)).isInstanceOfSatisfying(SdkException.class,
                e -> assertThat(e.code()).isEqualTo(GrpcCode.ALREADY_EXISTS));
        assertThatThrownBy(() -> client.snapshotCreate(production, "s1", Map.of()))
                .isInstanceOfSatisfying(SdkException.class, e -> {
                    assertThat(e.code()).isEqualTo(GrpcCode.ALREADY_EXISTS);
                    assertThat(e.httpStatus()).isEqualTo(409);
                });
    }

    @Test
    void aVolumeWithSnapshotsCannotBeDeletedAndAMissingOneDeletesFine() throws Exception {
        String snap = client.snapshotCreate(production, "s1", Map.of());
        String clone = client.clone("c1", snap);

        assertThatThrownBy(() -> client.delete(snap)).isInstanceOfSatisfying(SdkException.class, e -> {
            assertThat(e.code()).isEqualTo(GrpcCode.INTERNAL);
            assertThat(e.portworxMessage()).startsWith("Failed to delete volume " + snap).contains("dependent");
        });
        client.delete(clone);
        client.delete(snap);
        client.delete(snap);
        assertThat(peer.stateOf(snap)).isNull();
        assertThat(peer.stateOf(production)).isNotNull();
    }

    @Test
    void updatesMergeLabelsAndASnapshotsDataIsReadOnly() throws Exception {
        String snap = client.snapshotCreate(production, "s1", Map.of("a", "1", "b", "2"));
        client.update(snap, Map.of("b", "", "c", "3"), null);
        assertThat(peer.labelsOf(snap)).isEqualTo(Map.of("a", "1", "c", "3"));
        assertThatThrownBy(() -> client.update(snap, null, new VolumeSpecUpdate("LOW", null, null)))
                .isInstanceOfSatisfying(SdkException.class,
                        e -> assertThat(e.code()).isEqualTo(GrpcCode.FAILED_PRECONDITION));

        String clone = client.clone("c1", snap);
        client.update(clone, null, new VolumeSpecUpdate("LOW", "IO_PROFILE_SEQUENTIAL", null));
        Volume v = client.inspect(clone).volume();
        assertThat(v.spec().cos()).isEqualTo("LOW");
        assertThat(v.spec().ioProfile()).isEqualTo("IO_PROFILE_SEQUENTIAL");
    }

    @Test
    void aConfiguredTokenIsCheckedAsABearerToken() throws Exception {
        peer.requireToken("s3cret");
        assertThatThrownBy(() -> client.inspect(production)).isInstanceOfSatisfying(SdkException.class, e -> {
            assertThat(e.code()).isEqualTo(GrpcCode.UNAUTHENTICATED);
            assertThat(e.httpStatus()).isEqualTo(401);
        });
        OpenStorageClient wrong = client(SdkConfig.of(peer.endpoint()).withToken("nope").withRetry(RetryPolicy.none()));
        assertThatThrownBy(() -> wrong.inspect(production)).isInstanceOfSatisfying(SdkException.class,
                e -> assertThat(e.code()).isEqualTo(GrpcCode.UNAUTHENTICATED));
        OpenStorageClient right = client(SdkConfig.of(peer.endpoint()).withToken("s3cret"));
        assertThat(right.inspect(production).name()).isEqualTo("cassandra-prod");
    }

    @Test
    void aForeignVolumeIsPermissionDenied() {
        peer.markForeign(production);
        assertThatThrownBy(() -> client.delete(production)).isInstanceOfSatisfying(SdkException.class, e -> {
            assertThat(e.code()).isEqualTo(GrpcCode.PERMISSION_DENIED);
            assertThat(e.httpStatus()).isEqualTo(403);
        });
    }

    @Test
    void transientErrorsAreRetriedWithBackoffAndOthersAreNot() throws Exception {
        OpenStorageClient retrying = client(SdkConfig.of(peer.endpoint())
                .withRetry(new RetryPolicy(4, Duration.ofMillis(1), Duration.ofMillis(2))));
        peer.faults().fail("GET", "/v1/volumes/inspect", 2, GrpcCode.UNAVAILABLE, "px is restarting");
        long before = retrying.requestCount();
        assertThat(retrying.inspect(production).name()).isEqualTo("cassandra-prod");
        assertThat(retrying.requestCount() - before).isEqualTo(3);

        peer.faults().fail("GET", "/v1/volumes/inspect", 10, GrpcCode.INTERNAL, "kvdb error");
        assertThatThrownBy(() -> retrying.inspect(production)).isInstanceOfSatisfying(SdkException.class, e -> {
            assertThat(e.code()).isEqualTo(GrpcCode.INTERNAL);
            assertThat(e.portworxMessage()).isEqualTo("kvdb error");
        });
        peer.faults().clear();

        before = retrying.requestCount();
        assertThatThrownBy(() -> retrying.inspect("missing")).isInstanceOf(SdkException.class);
        assertThat(retrying.requestCount() - before).as("not found is not retried").isEqualTo(1);
    }

    @Test
    void aCallThatHangsTimesOutAsDeadlineExceeded() {
        OpenStorageClient impatient = client(SdkConfig.of(peer.endpoint())
                .withTimeouts(Duration.ofSeconds(1), Duration.ofMillis(200)).withRetry(RetryPolicy.none()));
        peer.faults().hangFor(Duration.ofSeconds(1)).hang("GET", "/v1/nodes", 1);
        assertThatThrownBy(impatient::nodeEnumerate).isInstanceOfSatisfying(SdkException.class, e -> {
            assertThat(e.code()).isEqualTo(GrpcCode.DEADLINE_EXCEEDED);
            assertThat(e.isTransient()).isTrue();
        });
    }

    @Test
    void outOfSpaceIsResourceExhaustedAndNothingIsCreated() {
        peer.faults().outOfSpace();
        assertThatThrownBy(() -> client.snapshotCreate(production, "s1", Map.of()))
                .isInstanceOfSatisfying(SdkException.class, e -> {
                    assertThat(e.code()).isEqualTo(GrpcCode.RESOURCE_EXHAUSTED);
                    assertThat(e.httpStatus()).isEqualTo(429);
                    assertThat(e.isTransient()).isFalse();
                });
        assertThat(peer.derivedVolumes()).isEmpty();
    }

    @Test
    void theSnapshotCapIsEnforced() throws Exception {
        peer.snapshotCap(2);
        client.snapshotCreate(production, "s1", Map.of());
        client.snapshotCreate(production, "s2", Map.of());
        assertThatThrownBy(() -> client.snapshotCreate(production, "s3", Map.of()))
                .isInstanceOfSatisfying(SdkException.class,
                        e -> assertThat(e.code()).isEqualTo(GrpcCode.RESOURCE_EXHAUSTED));
    }

    @Test
    void nodesAreEnumeratedAndInspectedWithTheirLabelsAndPools() throws Exception {
        peer.addNode("n1", Map.of("tier", "ci"), Map.of("media", "hdd"));
        peer.addNode("n2", Map.of("tier", "prod"), Map.of());
        assertThat(client.nodeEnumerate()).containsExactly("n1", "n2");
        var node = client.nodeInspect("n1");
        assertThat(node.labels()).containsEntry("tier", "ci");
        assertThat(node.poolList()).singleElement().satisfies(p -> {
            assertThat(p.labelMap()).containsEntry("media", "hdd");
            assertThat(p.cos()).isEqualTo("LOW");
        });
        assertThat(List.of(client.nodeInspect("n2").hostname())).containsExactly("n2.cluster");
    }

    @Test
    void aBodyThatIsNotJsonStillGivesTheStatusAndText() throws Exception {
        var proxy = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
        try {
            proxy.createContext("/", ex -> {
                byte[] page = "<html>502 Bad Gateway</html>".getBytes();
                ex.sendResponseHeaders(502, page.length);
                ex.getResponseBody().write(page);
                ex.close();
            });
            proxy.start();
            OpenStorageClient viaProxy = client(SdkConfig.of(URI.create("http://127.0.0.1:"
                    + proxy.getAddress().getPort())).withRetry(RetryPolicy.none()));
            assertThatThrownBy(viaProxy::nodeEnumerate).isInstanceOfSatisfying(SdkException.class, e -> {
                assertThat(e.code()).isEqualTo(GrpcCode.UNAVAILABLE);
                assertThat(e.portworxMessage()).contains("502 Bad Gateway");
            });
        } finally {
            proxy.stop(0);
        }
    }

    @Test
    void detachNeedsAVolumeIdIsOkForAVolumeThatDoesNotExistAndFreesTheVolumeForAnotherNode(
            @org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) throws Exception {
        peer.withData(tmp.resolve("px"));
        java.nio.file.Path prodDir = java.nio.file.Files.createDirectories(tmp.resolve("prod/data/shop/t-1"));
        String volume = peer.addVolume("cassandra-data", Map.of(), 1L << 30, prodDir.getParent().getParent()
                .getParent());
        String clone = client.clone("a-clone", client.snapshotCreate(volume, "a-snap", Map.of()));

        HttpResponse<String> noId = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        peer.endpoint().resolve("/v1/mountattach/detach"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).header("Content-Type", "application/json").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(noId.statusCode()).isEqualTo(400);
        assertThat(noId.body()).contains("Must supply volume id");
        client.detach("no-such-volume");

        java.nio.file.Path mounted = peer.dockerVolumes("ci-1").mount("pxd", "a-clone", Map.of());
        assertThat(mounted.resolve("data/shop/t-1")).isDirectory();
        assertThat(mounted).isNotEqualTo(prodDir.getParent().getParent().getParent());
        assertThat(client.inspect(clone).volume().attachedOn()).isEqualTo("ci-1");
        assertThat(client.inspect(clone).volume().state()).isEqualTo("VOLUME_STATE_ATTACHED");
        assertThatThrownBy(() -> peer.dockerVolumes("ci-2").mount("pxd", "a-clone", Map.of()))
                .hasMessageContaining("Volume is attached on another node (ci-1)");
        assertThatThrownBy(() -> client.delete(clone)).isInstanceOf(SdkException.class)
                .hasMessageContaining("attached on node ci-1");

        client.detach(clone);
        assertThat(client.inspect(clone).volume().isAttached()).isFalse();
        assertThat(peer.dockerVolumes("ci-2").mount("pxd", "a-clone", Map.of())).isEqualTo(mounted);
        assertThat(peer.journal()).contains(new OpenStorageSdkPeer.Mutation("POST", "/v1/mountattach/detach", clone));
        peer.dockerVolumes("ci-2").unmount("pxd", "a-clone");
        client.delete(clone);
        assertThat(mounted).doesNotExist();
        assertThat(prodDir).isDirectory();
    }
}
