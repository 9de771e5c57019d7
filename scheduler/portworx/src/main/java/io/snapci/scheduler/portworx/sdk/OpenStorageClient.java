package io.snapci.scheduler.portworx.sdk;

import com.fasterxml.jackson.databind.JavaType;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The OpenStorage SDK calls snapci makes, typed, over the REST gateway. Transient failures (5xx, unavailable,
 * timeouts) are retried with {@link RetryPolicy backoff}; anything else is thrown at once. Every call that creates
 * something takes a name, so that a retry of a call whose answer was lost finds what the first try made instead of
 * making a second one (see {@code PortworxDriver}).
 *
 * <p>Paths and methods: {@code api/server/sdk/api/api.swagger.json} (libopenstorage/openstorage 59b80fe2).
 */
public final class OpenStorageClient {

    /** Waits between retries; tests pass one that does not sleep. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    private final SdkHttp http;
    private final SdkHttp volumeApi;
    private final RetryPolicy retry;
    private final Sleeper sleeper;
    private final AtomicLong requests = new AtomicLong();

    public OpenStorageClient(SdkConfig config) {
        this(config, d -> Thread.sleep(d.toMillis()));
    }

    public OpenStorageClient(SdkConfig config, Sleeper sleeper) {
        this.http = new SdkHttp(config);
        this.volumeApi = new SdkHttp(config.volumeApi() == null ? config : config.withEndpoint(config.volumeApi()));
        this.retry = config.retry();
        this.sleeper = sleeper;
    }

    /**
     * Waits as the retry policy waits before try {@code attempt + 1}: for callers that retry a call the client sends
     * once ({@link #snapshotCreate}) after checking what the failed try left.
     */
    public void backoff(int attempt) {
        try {
            sleeper.sleep(retry.delayBefore(attempt, ThreadLocalRandom.current().nextDouble()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** HTTP requests sent so far, retries included: the driver's cost, for benchmarks. */
    public long requestCount() {
        return requests.get();
    }

    /** {@code GET /v1/volumes/inspect/{volume_id}}. Portworx also accepts a volume's name here. */
    public Messages.InspectResponse inspect(String volumeId) throws SdkException {
        return call("GET", "/v1/volumes/inspect/" + segment(volumeId), null, Messages.InspectResponse.class);
    }

    /** {@code POST /v1/volumes/inspectwithfilters}: volumes (snapshots included) matching a name and/or labels. */
    public List<Messages.InspectResponse> inspectWithFilters(String name, Map<String, String> labels)
            throws SdkException {
        Messages.InspectWithFiltersResponse response = call("POST", "/v1/volumes/inspectwithfilters",
                new Messages.InspectWithFiltersRequest(name, labels), Messages.InspectWithFiltersResponse.class);
        return response.volumes() == null ? List.of() : response.volumes();
    }

    /** {@code POST /v1/volumes}: a new, empty volume. */
    public String create(String name, VolumeSpec spec, Map<String, String> labels) throws SdkException {
        return call("POST", "/v1/volumes", new Messages.CreateRequest(name, spec, labels),
                Messages.VolumeIdResponse.class).volumeId();
    }

    /**
     * {@code POST /v1/volumes/snapshots}: a read-only, point-in-time snapshot of a volume. Sent once, never retried
     * here: the SDK does not check the name (volume_snapshot.go:30-67), so a retry after a lost answer would make a
     * second snapshot of the same name. The caller looks the name up before it tries again.
     */
    public String snapshotCreate(String volumeId, String name, Map<String, String> labels) throws SdkException {
        return call("POST", "/v1/volumes/snapshots", new Messages.SnapshotCreateRequest(volumeId, name, labels),
                Messages.SnapshotCreateResponse.class, 1).snapshotId();
    }

    /**
     * {@code GET /v1/volumes/snapshots?volume_id=}: the ids of every volume made from this one, snapci's or not:
     * snapshots and clones (default_store_enumerator.go:132-156); NOT_FOUND for a volume that does not exist.
     */
    public List<String> snapshotEnumerate(String volumeId) throws SdkException {
        Messages.SnapshotEnumerateResponse response = call("GET", "/v1/volumes/snapshots?volume_id="
                + URLEncoder.encode(volumeId, StandardCharsets.UTF_8), null, Messages.SnapshotEnumerateResponse.class);
        return response.volumeSnapshotIds() == null ? List.of() : response.volumeSnapshotIds();
    }

    /**
     * {@code POST /v1/volumes/clone}: a new writable volume from a snapshot (or volume), with the parent's labels
     * and {@code additionalLabels} over them (an empty value removes an inherited one). Idempotent by name: the SDK
     * answers the existing volume for a name that exists with the same parent (volume_ops.go:109-150).
     */
    public String clone(String name, String parentId, Map<String, String> additionalLabels) throws SdkException {
        return call("POST", "/v1/volumes/clone", new Messages.CloneRequest(name, parentId,
                additionalLabels == null || additionalLabels.isEmpty() ? null : additionalLabels),
                Messages.VolumeIdResponse.class).volumeId();
    }

    public String clone(String name, String parentId) throws SdkException {
        return clone(name, parentId, null);
    }

    /** {@code PUT /v1/volumes/{volume_id}}: merges labels, changes the spec fields given. */
    public void update(String volumeId, Map<String, String> labels, VolumeSpecUpdate spec) throws SdkException {
        call("PUT", "/v1/volumes/" + segment(volumeId),
                new Messages.UpdateRequest(volumeId, labels, spec == null || spec.isEmpty() ? null : spec), Map.class);
    }

    /** {@code DELETE /v1/volumes/{volume_id}}; the SDK answers OK for a volume that does not exist. */
    public void delete(String volumeId) throws SdkException {
        call("DELETE", "/v1/volumes/" + segment(volumeId), null, Map.class);
    }

    /**
     * {@code POST /v1/mountattach/detach} (OpenStorageMountAttach.Detach): detaches the volume from whichever node
     * holds it, forced (the node may be gone), unmounting first and redirected to that node. OK for a volume that
     * does not exist ({@code volume_node_ops.go}).
     */
    public void detach(String volumeId) throws SdkException {
        if (volumeId == null || volumeId.isEmpty()) {
            throw new IllegalArgumentException("a volume id is required");
        }
        call("POST", "/v1/mountattach/detach",
                new Messages.DetachRequest(volumeId, new Messages.DetachOptions(true, true, true)), Map.class);
    }

    /**
     * {@code POST /v1/osd-snapshot/snapshotgroup} of OpenStorage's older volume REST API (route
     * api/server/volume.go:1963, handler {@code snapGroup} l. 1668; the SDK has no group snapshot): one snapshot of
     * every volume in one cut, each carrying {@code labels}. Answers volume id → snapshot id. The server answers 400
     * with the driver's error as plain text (a missing volume fails the whole group; a driver without group
     * snapshots says "Operation not supported", volume/volume.go:41), and 404 where the API is not served. Sent once:
     * the caller looks the group up by its labels before it tries again.
     */
    public Map<String, String> snapshotGroup(String groupId, Map<String, String> labels, List<String> volumeIds)
            throws SdkException {
        requests.incrementAndGet();
        byte[] bytes = volumeApi.exchange("POST", "/v1/osd-snapshot/snapshotgroup",
                new Messages.GroupSnapCreateRequest(groupId, labels, volumeIds, true));
        Messages.GroupSnapCreateResponse response;
        try {
            response = SdkJson.mapper().readValue(bytes, Messages.GroupSnapCreateResponse.class);
        } catch (IOException e) {
            throw new SdkException(GrpcCode.INTERNAL, 200, "unreadable answer: " + e.getMessage(),
                    "POST /v1/osd-snapshot/snapshotgroup", e);
        }
        if (response.error() != null && !response.error().isEmpty()) {
            throw new SdkException(GrpcCode.INTERNAL, 200, response.error(), "POST /v1/osd-snapshot/snapshotgroup",
                    null);
        }
        Map<String, String> made = new java.util.LinkedHashMap<>();
        if (response.snapshots() != null) {
            response.snapshots().forEach((volume, snap) -> made.put(volume, snap.volumeCreateResponse() == null
                    ? null : snap.volumeCreateResponse().id()));
        }
        return made;
    }

    /** {@code GET /v1/nodes}. */
    public List<String> nodeEnumerate() throws SdkException {
        Messages.NodeEnumerateResponse response = call("GET", "/v1/nodes", null, Messages.NodeEnumerateResponse.class);
        return response.nodeIds() == null ? List.of() : response.nodeIds();
    }

    /** {@code GET /v1/nodes/inspect/{node_id}}. */
    public StorageNode nodeInspect(String nodeId) throws SdkException {
        return call("GET", "/v1/nodes/inspect/" + segment(nodeId), null, Messages.NodeInspectResponse.class).node();
    }

    private <T> T call(String method, String path, Object body, Class<T> type) throws SdkException {
        return call(method, path, body, type, retry.attempts());
    }

    private <T> T call(String method, String path, Object body, Class<T> type, int attempts) throws SdkException {
        JavaType javaType = SdkJson.mapper().constructType(type);
        for (int attempt = 1; ; attempt++) {
            requests.incrementAndGet();
            try {
                byte[] bytes = http.exchange(method, path, body);
                try {
                    T value = bytes.length == 0 ? null : SdkJson.mapper().readValue(bytes, javaType);
                    return value != null ? value : SdkJson.mapper().readValue("{}", javaType);
                } catch (IOException e) {
                    throw new SdkException(GrpcCode.INTERNAL, 200, "unreadable answer: " + e.getMessage(),
                            method + " " + path, e);
                }
            } catch (SdkException e) {
                if (!e.isTransient() || attempt >= attempts) {
                    throw e;
                }
                try {
                    sleeper.sleep(retry.delayBefore(attempt, ThreadLocalRandom.current().nextDouble()));
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    private static String segment(String id) {
        if (id == null || id.isEmpty()) {
            throw new IllegalArgumentException("a volume or node id is required");
        }
        return URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
