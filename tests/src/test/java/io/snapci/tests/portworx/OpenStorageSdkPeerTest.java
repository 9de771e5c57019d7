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
        assertThat(raw.body()).contains("\"size\":\"107374182400\"", "\"volume_labels\":{\"app\":\"shop\",\"k\":\"v\"}",
                "\"parent\":\"" + production + "\"", "\"readonly\":true", "\"io_profile\":\"IO_PROFILE_DB\"");
    }

    @Test
    void aCloneNeedsAnExistingParentIsWritableAndInheritsItsParentsLabels() throws Exception {
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
        assertThat(v.labels()).isEqualTo(Map.of("app", "shop", "created-by", "snapci"));
    }

    /** Finding 1 and 6: api.proto:3728-3730 (Portworx copies labels except pvc and namespace), volume_ops.go:214-239. */
    @Test
    void clonesInheritTheirParentsLabelsAndAdditionalLabelsGoOverThem() throws Exception {
        String pvc = peer.addVolume("pvc-vol", Map.of("app", "shop", "pvc", "data-0", "namespace", "prod"), 1L << 30);
        String snap = client.snapshotCreate(pvc, "s1", Map.of("created-by", "snapci", "snapci-run", "r1"));
        assertThat(peer.labelsOf(snap)).as("a snapshot is the same driver call: it inherits too")
                .isEqualTo(Map.of("app", "shop", "created-by", "snapci", "snapci-run", "r1"));

        String usersClone = client.clone("users-clone", snap);
        assertThat(peer.labelsOf(usersClone)).as("anyone's clone of a snapci volume carries snapci's labels")
                .isEqualTo(Map.of("app", "shop", "created-by", "snapci", "snapci-run", "r1"));

        String ours = client.clone("snapci-r1", snap, Map.of("snapci-kind", "clone", "snapci-run", "", "x", "1"));
        assertThat(peer.labelsOf(ours)).as("additional labels are merged, an empty value removes an inherited one")
                .isEqualTo(Map.of("app", "shop", "created-by", "snapci", "snapci-kind", "clone", "x", "1"));
        assertThat(client.clone("snapci-r1", snap, Map.of("y", "2"))).as("idempotent by name").isEqualTo(ours);
        assertThat(peer.labelsOf(ours)).as("an existing clone is answered as it is").doesNotContainKey("y");
    }

    /** A server before additional_labels (SDK < 0.95) ignores the field: the gateway allows unknown fields. */
    @Test
    void aServerWithoutAdditionalLabelsIgnoresThem() throws Exception {
        peer.withoutAdditionalLabels();
        String snap = client.snapshotCreate(production, "s1", Map.of());
        String clone = client.clone("c1", snap, Map.of("created-by", "snapci"));
        assertThat(peer.labelsOf(clone)).isEqualTo(Map.of("app", "shop"));
    }

    /** Finding 3: volume_snapshot.go:30-67 has no name check; default_store_enumerator.go:32-44 then resolves neither. */
    @Test
    void snapshotCreateDoesNotRefuseADuplicateNameAfterWhichInspectByNameIsNotFound() throws Exception {
        String first = client.snapshotCreate(production, "nightly", Map.of());
        assertThat(client.inspect("nightly").volume().id()).isEqualTo(first);
        String second = client.snapshotCreate(production, "nightly", Map.of());
        assertThat(second).isNotEqualTo(first);
        assertThatThrownBy(() -> client.inspect("nightly")).isInstanceOfSatisfying(SdkException.class, e -> {
            assertThat(e.code()).isEqualTo(GrpcCode.NOT_FOUND);
            assertThat(e.isStatus()).isTrue();
        });
        assertThat(client.inspectWithFilters("nightly", null)).extracting(r -> r.volume().id())
                .containsExactly(first, second);
    }

    /** Finding 3: volume_snapshot.go:61 (Internal), volume_ops.go:178-190 (Aborted), volume_ops.go:255-258 (Internal). */
    @Test
    void driverErrorsAreWrappedInternalForCreateAndSnapshotAndAbortedForClone() throws Exception {
        String snap = client.snapshotCreate(production, "s1", Map.of());
        peer.faults().outOfSpace();
        assertThatThrownBy(() -> client.snapshotCreate(production, "s2", Map.of()))
                .isInstanceOfSatisfying(SdkException.class, e -> {
                    assertThat(e.code()).isEqualTo(GrpcCode.INTERNAL);
                    assertThat(e.httpStatus()).isEqualTo(500);
                    assertThat(e.portworxMessage()).startsWith("Failed to create snapshot: not enough space");
                    assertThat(e.saysNoSpace()).isTrue();
                    assertThat(e.isTransient()).as("a full pool stays full").isFalse();
                });
        assertThatThrownBy(() -> client.clone("c1", snap)).isInstanceOfSatisfying(SdkException.class, e -> {
            assertThat(e.code()).isEqualTo(GrpcCode.ABORTED);
            assertThat(e.httpStatus()).isEqualTo(409);
            assertThat(e.portworxMessage()).startsWith("unable to create snapshot: not enough space");
        });
        assertThatThrownBy(() -> client.create("v1", new io.snapci.scheduler.portworx.sdk.VolumeSpec(1L << 30, 1L,
                null, null, null), Map.of())).isInstanceOfSatisfying(SdkException.class, e -> {
                    assertThat(e.code()).isEqualTo(GrpcCode.INTERNAL);
                    assertThat(e.portworxMessage()).startsWith("Failed to create volume: not enough space");
                });
        assertThat(peer.derivedVolumes()).containsExactly(snap);
    }

    /** Finding 4: volume_ops.go:398 passes the delete to the driver; fake.go:239-253 does not look for dependents. */
    @Test
    void deletingAVolumeWithSnapshotsOrClonesIsPassedToTheDriverAndAllowed() throws Exception {
        String snap = client.snapshotCreate(production, "s1", Map.of());
        String clone = client.clone("c1", snap);
        client.delete(snap);
        assertThat(peer.stateOf(snap)).isNull();
        assertThat(client.inspect(clone).volume().parent()).as("the clone keeps a parent that is gone").isEqualTo(snap);
        client.delete(snap);
        assertThat(peer.stateOf(production)).isNotNull();
    }

    /** Finding 5: JSONPb{OrigName: true} without EmitDefaults (runtime/marshaler_registry.go:19). */
    @Test
    void zeroValuesFalseAndEmptyMapsAndListsAreLeftOutOfAnswers() throws Exception {
        String plain = peer.addVolume("plain", Map.of(), 1L << 30);
        String snap = client.snapshotCreate(plain, "s1", Map.of());
        String clone = client.clone("c1", snap);
        client.update(clone, null, new VolumeSpecUpdate("NONE", "IO_PROFILE_SEQUENTIAL", null));
        String body = get("/v1/volumes/inspect/" + clone).body();
        assertThat(body).doesNotContain("\"readonly\"", "\"cos\"", "\"io_profile\"", "\"volume_labels\"",
                "\"labels\"", "IO_PROFILE_SEQUENTIAL", "NONE").contains("\"parent\":\"" + snap + "\"");
        assertThat(client.inspect(clone).volume().spec().ioProfile()).as("absent is the zero value").isNull();
        assertThat(get("/v1/volumes/snapshots?volume_id=" + clone).body()).isEqualTo("{}");
        assertThat(client.snapshotEnumerate(clone)).isEmpty();
        assertThat(post("/v1/volumes/inspectwithfilters", "{\"name\":\"nothing\"}").body()).isEqualTo("{}");
        assertThat(get("/v1/nodes").body()).isEqualTo("{}");
        peer.addNode("bare", Map.of(), Map.of());
        assertThat(get("/v1/nodes/inspect/bare").body()).doesNotContain("node_labels", "\"labels\"");
        assertThat(client.nodeInspect("bare").labels()).isEmpty();
    }

    /** Finding 5: default_store_enumerator.go:132-156 lists by parent only; volume_snapshot.go:146 NotFound. */
    @Test
    void snapshotEnumerateListsClonesTooAndAMissingVolumeIsNotFound() throws Exception {
        String snap = client.snapshotCreate(production, "s1", Map.of());
        String clone = client.clone("c1", snap);
        String direct = client.clone("c2", production);
        assertThat(client.snapshotEnumerate(production)).containsExactlyInAnyOrder(snap, direct);
        assertThat(client.snapshotEnumerate(snap)).containsExactly(clone);
        assertThatThrownBy(() -> client.snapshotEnumerate("no-such-volume"))
                .isInstanceOfSatisfying(SdkException.class, e -> {
                    assertThat(e.code()).isEqualTo(GrpcCode.NOT_FOUND);
                    assertThat(e.isStatus()).isTrue();
                });
    }

    /** Finding 5: runtime/mux.go:214,274,284 and errors.go:182-186 (http.Error); errors.go:134-139 for the SDK's. */
    @Test
    void routingErrorsArePlainText404And405AndAreNotRetried() throws Exception {
        HttpResponse<String> unknown = get("/v1/no-such-path");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).isEqualTo("Not Found\n");
        assertThat(unknown.headers().firstValue("Content-Type")).hasValue("text/plain; charset=utf-8");
        HttpResponse<String> wrongMethod = get("/v1/volumes/clone");
        assertThat(wrongMethod.statusCode()).isEqualTo(405);
        assertThat(wrongMethod.body()).isEqualTo("Method Not Allowed\n");

        HttpResponse<String> sdkError = get("/v1/volumes/inspect/missing");
        assertThat(sdkError.statusCode()).isEqualTo(404);
        assertThat(sdkError.body()).contains("\"error\":\"Volume id missing not found\"", "\"code\":5",
                "\"message\":\"Volume id missing not found\"", "\"details\":[]");

        OpenStorageClient retrying = client(SdkConfig.of(peer.endpoint().resolve("/v0/"))
                .withRetry(new RetryPolicy(4, Duration.ofMillis(1), Duration.ofMillis(2))));
        long before = retrying.requestCount();
        assertThatThrownBy(() -> retrying.inspect(production)).isInstanceOfSatisfying(SdkException.class, e -> {
            assertThat(e.isStatus()).as("the router, not the SDK").isFalse();
            assertThat(e.isTransient()).isFalse();
        });
        assertThat(retrying.requestCount() - before).isEqualTo(1);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(peer.endpoint() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String json) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(peer.endpoint() + path))
                .POST(HttpRequest.BodyPublishers.ofString(json)).header("Content-Type", "application/json").build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aGroupSnapshotOnTheWireIsOneReadOnlySnapshotPerVolumeAndAMissingVolumeFailsTheWholeGroup() throws Exception {
        String second = peer.addVolume("cassandra-prod-2", Map.of("app", "shop"), 100L << 30);
        HttpResponse<String> made = post("/v1/osd-snapshot/snapshotgroup", "{\"id\":\"g1\",\"Labels\":{\"k\":\"v\"},"
                + "\"volume_ids\":[\"" + production + "\",\"" + second + "\"],\"delete_on_failure\":true}");
        assertThat(made.statusCode()).isEqualTo(200);
        assertThat(made.body()).endsWith("}\n"); // json.NewEncoder (api/server/volume.go:1688)
        com.fasterxml.jackson.databind.JsonNode answer = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(made.body());
        String snapOfFirst = answer.path("snapshots").path(production).path("volume_create_response").path("id")
                .asText();
        assertThat(answer.path("snapshots").size()).isEqualTo(2);
        Volume snap = client.inspect(snapOfFirst).volume();
        assertThat(snap.readonly()).isTrue();
        assertThat(snap.parent()).isEqualTo(production);
        assertThat(snap.labels()).containsEntry("k", "v").containsEntry("app", "shop");
        assertThat(client.snapshotGroup("g2", Map.of(), List.of(production, second))).containsOnlyKeys(production,
                second);

        int before = peer.derivedVolumes().size();
        HttpResponse<String> missing = post("/v1/osd-snapshot/snapshotgroup", "{\"id\":\"g3\",\"volume_ids\":[\""
                + production + "\",\"nope\"]}");
        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(missing.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t)
                .startsWith("text/plain"));
        assertThat(missing.body()).contains("nope");
        assertThat(peer.derivedVolumes()).as("nothing of a failed group is made").hasSize(before);
        assertThat(get("/v1/osd-snapshot/snapshotgroup").statusCode()).isEqualTo(405);

        peer.groupSnapshots(OpenStorageSdkPeer.GroupSnapshots.NOT_SERVED);
        assertThat(post("/v1/osd-snapshot/snapshotgroup", "{}").statusCode()).isEqualTo(404);
        peer.groupSnapshots(OpenStorageSdkPeer.GroupSnapshots.NOT_SUPPORTED);
        HttpResponse<String> unsupported = post("/v1/osd-snapshot/snapshotgroup", "{\"volume_ids\":[\"" + production
                + "\"]}");
        assertThat(unsupported.statusCode()).isEqualTo(400);
        assertThat(unsupported.body()).contains("Operation not supported");
    }

    @Test
    void namesAreUniqueACloneRetriedWithTheSameParentIsTheSameVolume() throws Exception {
        String snap = client.snapshotCreate(production, "s1", Map.of());
        String other = client.snapshotCreate(production, "s2", Map.of());
        String clone = client.clone("c1", snap);
        assertThat(client.clone("c1", snap)).isEqualTo(clone);
        assertThatThrownBy(() -> client.clone("c1", other)).isInstanceOfSatisfying(SdkException.class, e -> {
            assertThat(e.code()).isEqualTo(GrpcCode.ALREADY_EXISTS);
            assertThat(e.httpStatus()).isEqualTo(409);
        });
    }

    @Test
    void updatesMergeLabelsAndASnapshotsDataIsReadOnly() throws Exception {
        String snap = client.snapshotCreate(production, "s1", Map.of("a", "1", "b", "2"));
        client.update(snap, Map.of("b", "", "c", "3"), null);
        assertThat(peer.labelsOf(snap)).isEqualTo(Map.of("app", "shop", "a", "1", "c", "3"));
        assertThatThrownBy(() -> client.update(snap, null, new VolumeSpecUpdate("LOW", null, null)))
                .isInstanceOfSatisfying(SdkException.class,
                        e -> assertThat(e.code()).isEqualTo(GrpcCode.FAILED_PRECONDITION));

        String clone = client.clone("c1", snap);
        client.update(clone, null, new VolumeSpecUpdate("LOW", "IO_PROFILE_RANDOM", null));
        Volume v = client.inspect(clone).volume();
        assertThat(v.spec().cos()).isEqualTo("LOW");
        assertThat(v.spec().ioProfile()).isEqualTo("IO_PROFILE_RANDOM");
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
    void theSnapshotCapIsEnforced() throws Exception {
        peer.snapshotCap(2);
        client.snapshotCreate(production, "s1", Map.of());
        client.snapshotCreate(production, "s2", Map.of());
        assertThatThrownBy(() -> client.snapshotCreate(production, "s3", Map.of()))
                .isInstanceOfSatisfying(SdkException.class, e -> {
                    assertThat(e.code()).as("the driver's failure, wrapped (volume_snapshot.go:61)")
                            .isEqualTo(GrpcCode.INTERNAL);
                    assertThat(e.portworxMessage()).startsWith("Failed to create snapshot:");
                });
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
