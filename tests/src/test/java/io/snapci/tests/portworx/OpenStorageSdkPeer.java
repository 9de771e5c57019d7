package io.snapci.tests.portworx;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.snapci.scheduler.portworx.sdk.GrpcCode;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An in-process OpenStorage SDK REST gateway on 127.0.0.1, for testing snapci's Portworx driver against the real wire
 * protocol. It serves the paths, methods and JSON of libopenstorage/openstorage {@code api/api.proto} (SDK messages
 * as of 0.28, commit 001ece03) as mapped by the gateway description {@code api/server/sdk/api/api.swagger.json}
 * (commit 59b80fe2), writes JSON the way grpc-gateway does (proto field names, 64-bit integers as strings, enums by
 * name, RFC 3339 timestamps) and errors as {@code {"code":n,"message":...}} with grpc-gateway's HTTP status.
 * The JSON is built here by hand from the proto, not with snapci's client records, so a field name the client
 * gets wrong fails the tests.
 *
 * <p>Rules it enforces, after libopenstorage/openstorage 03325516 ({@code api/server/sdk/volume_ops.go},
 * {@code volume_snapshot.go}, {@code volume_node_ops.go}, the fake driver {@code volume/drivers/fake/fake.go} with its
 * store {@code volume/drivers/common/default_store_enumerator.go}, and the vendored grpc-gateway {@code runtime}):
 * <ul>
 *   <li>Create and clone need a name; creating a name that exists returns the existing volume when it matches
 *       (same size; for clones the same parent) and {@code AlreadyExists} otherwise (volume_ops.go:109-150). A name
 *       two volumes share resolves to neither (default_store_enumerator.go:32-44 {@code toID}; pkg/util/volume.go:27-39
 *       {@code VolumeFromName} wants exactly one).</li>
 *   <li>A clone needs an existing parent ({@code NotFound}). It is a writable snapshot of the parent
 *       (volume_ops.go:173) with the parent's spec and, as on Portworx, the parent's labels except {@code pvc} and
 *       {@code namespace} (api.proto:3728-3730, {@code SdkVolumeCloneRequest.additional_labels}); the request's
 *       {@code additional_labels} are then merged in with an update (volume_ops.go:214-239), where an empty value
 *       deletes a label (fake.go:351-364). Driver failures of a clone are {@code Aborted} "unable to create snapshot:
 *       ..." (volume_ops.go:178-190).</li>
 *   <li>Snapshots are read-only, with their volume as parent, and carry the volume's labels (the same driver
 *       snapshot as a clone's, api.proto:3728-3730) plus the request's. SnapshotCreate does not check the name
 *       (volume_snapshot.go:30-67, fake.go:280-299): a second snapshot of the same name is made, after which
 *       inspect by that name answers {@code NotFound} and InspectWithFilters by name lists both. A missing volume is
 *       {@code NotFound} (volume_snapshot.go:45 via volume.go:79-95); driver failures (the snapshot cap, a full pool)
 *       are {@code Internal} "Failed to create snapshot: ..." (volume_snapshot.go:61). Creates that fail in the
 *       driver are {@code Internal} "Failed to create volume: ..." (volume_ops.go:255-258).</li>
 *   <li>SnapshotEnumerate lists every volume whose parent is the volume, clones included
 *       (default_store_enumerator.go:132-156); for a missing volume it is {@code NotFound} (volume_snapshot.go:146);
 *       without a volume id it lists every derived volume (volume_snapshot.go:145-152).</li>
 *   <li>Update merges labels (an empty value deletes one); a snapshot's data is read-only, so spec changes to a
 *       snapshot are refused ({@code FailedPrecondition}, the peer's choice of code).</li>
 *   <li>Delete of a missing volume is OK (idempotent, volume_ops.go:378-388); a volume that snapshots or clones
 *       were made from is deleted all the same (volume_ops.go:398 passes it to the driver, fake.go:239-253 does not
 *       look for dependents), its children keep a parent id that no longer resolves.</li>
 *   <li>With a token configured, every call needs {@code Authorization: bearer <token>} ({@code Unauthenticated}
 *       otherwise); volumes marked foreign answer {@code PermissionDenied} to update and delete.</li>
 *   <li>An optional cap on snapshots per volume (Portworx limits them) fails the driver's snapshot.</li>
 *   <li>Answers are grpc-gateway's JSONPb with {@code OrigName} and without {@code EmitDefaults}
 *       (runtime/marshaler_registry.go:19): zero values (enum 0 such as {@code cos NONE} and
 *       {@code IO_PROFILE_SEQUENTIAL}, {@code false}, 0) and empty maps and lists are left out. Errors are
 *       {@code {"error":m,"code":n,"message":m,"details":[]}} with the code's HTTP status (runtime/errors.go:113-180);
 *       routing errors are plain text from {@code http.Error}: "Not Found" 404 for an unknown path, "Method Not
 *       Allowed" 405 for a known path with another method (runtime/mux.go:214,274,284; errors.go:182-186).</li>
 *   <li>Attachment: a volume mounted by a container ({@link #dockerVolumes}) is attached on that node
 *       ({@code state} VOLUME_STATE_ATTACHED, {@code attached_on}); it cannot be mounted on another node nor
 *       deleted until it is unmounted or detached ({@code POST /v1/mountattach/detach}, {@code volume_node_ops.go}:
 *       a volume id is required, a missing volume is OK). An agent that dies leaves its volumes attached. (The fake
 *       driver has no attachment; refusing to delete an attached volume is Portworx's behaviour, wrapped as
 *       volume_ops.go:398-404 wraps any driver refusal.)</li>
 *   <li>Group snapshot: the older volume REST API's {@code POST /v1/osd-snapshot/snapshotgroup} (api/server/volume.go
 *       route l. 1963, handler {@code snapGroup} l. 1668-1689), served on the same port as the gateway, or not
 *       served, or answered "Operation not supported" ({@link #groupSnapshots}; see {@code groupSnapshot}).</li>
 *   <li>Data ({@link #withData}): snapshots and clones are real copies of their parent's directory
 *       ({@link PeerVolumeData}); deleting one removes its directory.</li>
 * </ul>
 * Every request that changes something is journaled with the volume it targeted, so tests can prove a volume was
 * never the target of a change.
 */
public final class OpenStorageSdkPeer implements AutoCloseable {

    /** One request that changes state, and the volume it named. */
    public record Mutation(String method, String path, String target) {
    }

    static {
        // Go's net/http (the real gateway) sets TCP_NODELAY; the JDK server does not by default, and Nagle plus
        // delayed ACKs would then add ~40 ms to every POST, which is not Portworx's cost.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern INSPECT = Pattern.compile("/v1/volumes/inspect/([^/]+)");
    private static final Pattern VOLUME = Pattern.compile("/v1/volumes/((?!snapshots$|clone$|inspectwithfilters$)[^/]+)");
    private static final Pattern NODE = Pattern.compile("/v1/nodes/inspect/([^/]+)");

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "sdk-peer");
        t.setDaemon(true);
        return t;
    });
    private final Clock clock;
    private final Object lock = new Object();
    private final Map<String, PeerVolume> volumes = new LinkedHashMap<>();
    private final Map<String, ObjectNode> nodes = new LinkedHashMap<>();
    private final Set<String> foreign = ConcurrentHashMap.newKeySet();
    private final List<Mutation> journal = new CopyOnWriteArrayList<>();
    private final AtomicLong ids = new AtomicLong(100_000);
    private final AtomicLong requests = new AtomicLong();
    private final PeerFaults faults = new PeerFaults();
    private volatile PeerVolumeData data;
    private volatile java.time.Duration mountHang = java.time.Duration.ZERO;
    private volatile String token;
    private volatile int snapshotCap = Integer.MAX_VALUE;
    private volatile boolean additionalLabels = true;
    private volatile GroupSnapshots groupSnapshots = GroupSnapshots.SERVED;
    private volatile boolean groupLabelsIgnored;
    private final AtomicLong groupRequests = new AtomicLong();

    public OpenStorageSdkPeer(Clock clock) throws IOException {
        this(clock, null);
    }

    /** @param tls serve HTTPS with this context (a secured Portworx with its own CA), or null for plain HTTP */
    public OpenStorageSdkPeer(Clock clock, javax.net.ssl.SSLContext tls) throws IOException {
        this.clock = clock;
        InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        if (tls == null) {
            this.server = HttpServer.create(address, 64);
        } else {
            com.sun.net.httpserver.HttpsServer https = com.sun.net.httpserver.HttpsServer.create(address, 64);
            https.setHttpsConfigurator(new com.sun.net.httpserver.HttpsConfigurator(tls));
            this.server = https;
        }
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    public URI endpoint() {
        String scheme = server instanceof com.sun.net.httpserver.HttpsServer ? "https" : "http";
        return URI.create(scheme + "://127.0.0.1:" + server.getAddress().getPort());
    }

    public PeerFaults faults() {
        return faults;
    }

    /** Requires {@code Authorization: bearer <token>} from now on. */
    public OpenStorageSdkPeer requireToken(String required) {
        this.token = required;
        return this;
    }

    /**
     * As a server before {@code additional_labels} on clone (SDK < 0.95): the field is ignored, as the gateway
     * ignores unknown fields (runtime/marshal_jsonpb.go:175,255).
     */
    public OpenStorageSdkPeer withoutAdditionalLabels() {
        this.additionalLabels = false;
        return this;
    }

    /** Whether and how the older volume REST API's group snapshot is served ({@link #groupSnapshots}). */
    public enum GroupSnapshots {
        /** {@code POST /v1/osd-snapshot/snapshotgroup} takes one cut of every volume named. */
        SERVED,
        /** The path is not served (the SDK's REST gateway alone, as on :9021): the router's plain 404. */
        NOT_SERVED,
        /**
         * Served by a driver without group snapshots: 400 "Operation not supported" (the fake, buse and nfs drivers
         * answer volume.ErrNotSupported, volume/drivers/fake/fake.go:309, volume/volume.go:41; the handler sends
         * the driver's error as a 400, api/server/volume.go:1682-1686).
         */
        NOT_SUPPORTED
    }

    /**
     * How the group snapshot is served; {@link GroupSnapshots#SERVED} unless told (the peer serves the volume REST
     * API's group snapshot and the SDK gateway on one port).
     */
    public OpenStorageSdkPeer groupSnapshots(GroupSnapshots how) {
        this.groupSnapshots = how;
        return this;
    }

    /**
     * A driver whose group snapshot takes the cut but does not apply the request's {@code Labels}: snapGroup hands
     * them to the driver (api/server/volume.go:1682, {@code d.SnapshotGroup(snapReq.Id, snapReq.Labels, ...)}) and
     * what it does with them is the driver's (the open drivers do nothing at all, volume/drivers/fake/fake.go:309-313;
     * Portworx's is not open), so snapci must not rely on them.
     */
    public OpenStorageSdkPeer groupSnapshotsIgnoreLabels() {
        this.groupLabelsIgnored = true;
        return this;
    }

    /** How many group snapshot requests reached the handler (served or not). */
    public long groupSnapshotRequests() {
        return groupRequests.get();
    }

    /** Portworx's limit on snapshots per volume. */
    public OpenStorageSdkPeer snapshotCap(int cap) {
        this.snapshotCap = cap;
        return this;
    }

    public long requestCount() {
        return requests.get();
    }

    public List<Mutation> journal() {
        return List.copyOf(journal);
    }

    // ---- test set-up and inspection, no HTTP ----

    /**
     * Keeps real data under {@code root}: snapshots and clones of a volume with data are copies of its directory
     * ({@link PeerVolumeData}), and {@link #dockerVolumes} mounts them for an executing agent.
     */
    public OpenStorageSdkPeer withData(Path root) {
        this.data = new PeerVolumeData(root);
        return this;
    }

    /** A production volume whose bytes are the directory {@code dir} (e.g. a running production node's home). */
    public String addVolume(String name, Map<String, String> labels, long size, Path dir) {
        String id = addVolume(name, labels, size);
        synchronized (lock) {
            volumes.get(id).data = dir.toAbsolutePath();
        }
        return id;
    }

    /**
     * Every docker volume mount from now on takes {@code hang} before it answers, as a pxd mount does while the
     * volume's replicas cannot be reached.
     */
    public void hangMounts(java.time.Duration hang) {
        this.mountHang = hang;
    }

    /** Where a volume's bytes are (null without data, or for a volume that does not exist). */
    public Path dataOf(String idOrName) {
        synchronized (lock) {
            PeerVolume v = find(idOrName);
            return v == null ? null : v.data;
        }
    }

    /** As if a container on storage node {@code node} had mounted the volume (a peer without data, for units). */
    public void attachOn(String idOrName, String node) {
        synchronized (lock) {
            find(idOrName).attachedOn = node;
        }
    }

    /** The storage node the volume is attached on, or null. */
    public String attachedOn(String idOrName) {
        synchronized (lock) {
            PeerVolume v = find(idOrName);
            return v == null ? null : v.attachedOn;
        }
    }

    /**
     * What a Portworx node's docker volume plugin does for an agent on storage node {@code node}: {@code pxd}
     * mounts attach the named volume there. A volume attached on another node cannot be mounted until it is detached
     * (Portworx answers "Volume is attached on another node"; a node that died keeps its attachments until someone
     * detaches them, see libopenstorage/stork#726). As with {@code dvdcli mount} without {@code --explicitcreate},
     * a name that does not exist creates a new, empty volume. Unmounting the last use detaches it.
     */
    public io.snapci.tests.mesos.agent.DockerVolumeResolver dockerVolumes(String node) {
        return new io.snapci.tests.mesos.agent.DockerVolumeResolver() {
            @Override
            public Path mount(String driver, String name, Map<String, String> options) throws MountFailure {
                if (!"pxd".equals(driver)) {
                    throw new MountFailure("Error looking up volume plugin " + driver + ": plugin \"" + driver
                            + "\" not found\n");
                }
                sleep(mountHang.toMillis());
                return mountOn(name, node);
            }

            @Override
            public void unmount(String driver, String name) {
                synchronized (lock) {
                    PeerVolume v = byName(name);
                    if (v != null && node.equals(v.attachedOn)) {
                        v.attachedOn = null;
                    }
                }
            }
        };
    }

    private Path mountOn(String name, String node) throws io.snapci.tests.mesos.agent.DockerVolumeResolver.MountFailure {
        synchronized (lock) {
            if (data == null) {
                throw new IllegalStateException("mounting needs a peer with data (withData)");
            }
            PeerVolume v = byName(name);
            if (v == null) {
                v = new PeerVolume(nextId(), name, null, false, clock.instant());
                v.size = 1L << 30;
                v.haLevel = 1;
                v.data = data.createEmpty(v.id);
                volumes.put(v.id, v);
                journal.add(new Mutation("POST", "dvdcli mount " + name, v.id));
            }
            if (v.data == null) {
                throw new IllegalStateException("volume " + name + " has no data in this peer");
            }
            if (v.attachedOn != null && !v.attachedOn.equals(node)) {
                throw new io.snapci.tests.mesos.agent.DockerVolumeResolver.MountFailure(
                        "Volume is attached on another node (" + v.attachedOn + ")\n");
            }
            if (v.readonly) {
                throw new io.snapci.tests.mesos.agent.DockerVolumeResolver.MountFailure(
                        "Volume " + name + " is a snapshot: it is read-only\n");
            }
            v.attachedOn = node;
            return v.data;
        }
    }

    /** A production volume, as an operator made it. Returns its id. */
    public String addVolume(String name, Map<String, String> labels, long size) {
        synchronized (lock) {
            PeerVolume v = new PeerVolume(nextId(), name, null, false, clock.instant());
            v.labels.putAll(labels);
            v.size = size;
            v.haLevel = 3;
            v.cos = "HIGH";
            v.ioProfile = "IO_PROFILE_DB";
            v.replicaNodes = List.of("node-prod-1", "node-prod-2", "node-prod-3");
            volumes.put(v.id, v);
            return v.id;
        }
    }

    /** A storage node with labels, and one pool with its own labels. */
    public void addNode(String id, Map<String, String> labels, Map<String, String> poolLabels) {
        ObjectNode node = JSON.createObjectNode().put("id", id).put("hostname", id + ".cluster")
                .put("status", "STATUS_OK");
        if (!labels.isEmpty()) { // empty maps are left out (marshaler_registry.go:19, no EmitDefaults)
            node.set("node_labels", JSON.valueToTree(labels));
        }
        ArrayNode pools = node.putArray("pools");
        ObjectNode pool = pools.addObject().put("uuid", id + "-pool-0").put("Cos", "LOW")
                .put("Medium", "STORAGE_MEDIUM_MAGNETIC");
        if (!poolLabels.isEmpty()) {
            pool.set("labels", JSON.valueToTree(poolLabels));
        }
        synchronized (lock) {
            nodes.put(id, node);
        }
    }

    /** Update and delete of this volume answer PermissionDenied, as for a volume another user owns. */
    public void markForeign(String volumeId) {
        foreign.add(volumeId);
    }

    /** The volume's whole state as text, or null when it does not exist. */
    public String stateOf(String volumeId) {
        synchronized (lock) {
            PeerVolume v = volumes.get(volumeId);
            return v == null ? null : v.state();
        }
    }

    public Map<String, String> labelsOf(String volumeId) {
        synchronized (lock) {
            PeerVolume v = volumes.get(volumeId);
            return v == null ? null : Map.copyOf(v.labels);
        }
    }

    public List<String> volumeIds() {
        synchronized (lock) {
            return List.copyOf(volumes.keySet());
        }
    }

    public String idOfName(String name) {
        synchronized (lock) {
            return volumes.values().stream().filter(v -> name.equals(v.name)).map(v -> v.id).findFirst().orElse(null);
        }
    }

    /** Snapshots and clones, for leak checks: every volume made from another. */
    public List<String> derivedVolumes() {
        synchronized (lock) {
            return volumes.values().stream().filter(v -> v.parent != null).map(v -> v.id).toList();
        }
    }

    /** For benchmarks: a labelled snapshot or clone without going through HTTP. */
    public String plant(String name, String parent, boolean readonly, Map<String, String> labels, Instant ctime) {
        synchronized (lock) {
            PeerVolume v = new PeerVolume(nextId(), name, parent, readonly, ctime);
            PeerVolume p = parent == null ? null : volumes.get(parent);
            if (p != null) {
                v.copySpecFrom(p);
            }
            v.labels.putAll(labels);
            volumes.put(v.id, v);
            return v.id;
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    // ---- HTTP ----

    private void handle(HttpExchange exchange) throws IOException {
        requests.incrementAndGet();
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getRawPath();
        try (exchange) {
            answer(exchange, method, path);
        }
    }

    private void answer(HttpExchange exchange, String method, String path) throws IOException {
        try {
            sleep(faults.latency().toMillis());
            if (token != null) {
                String auth = exchange.getRequestHeaders().getFirst("Authorization");
                if (auth == null || !auth.regionMatches(true, 0, "bearer ", 0, 7)) {
                    error(exchange, GrpcCode.UNAUTHENTICATED, "Request unauthenticated with bearer");
                    return;
                }
                if (!auth.substring(7).trim().equals(token)) {
                    error(exchange, GrpcCode.UNAUTHENTICATED, "Access denied, token is invalid");
                    return;
                }
            }
            PeerFaults.Rule fault = faults.take(method, path);
            if (fault != null && fault.action() == PeerFaults.Action.HANG) {
                sleep(faults.hang().toMillis());
                error(exchange, fault.code(), fault.message());
                return;
            }
            if (fault != null && fault.action() == PeerFaults.Action.FAIL) {
                error(exchange, fault.code(), fault.message());
                return;
            }
            if (path.equals(GROUP_SNAPSHOT) && groupSnapshots != GroupSnapshots.NOT_SERVED) {
                groupSnapshot(exchange, method, fault);
                return;
            }
            String routing = routingError(method, path);
            if (routing != null) {
                plainText(exchange, routing.equals("Not Found") ? 404 : 405, routing);
                return;
            }
            JsonNode body = readBody(exchange);
            Answer answer = route(method, path, exchange.getRequestURI().getRawQuery(), body);
            if (fault != null && fault.action() == PeerFaults.Action.LOSE_ANSWER) {
                error(exchange, fault.code(), fault.message()); // the work above was done; the answer is lost
                return;
            }
            if (answer.code != GrpcCode.OK) {
                error(exchange, answer.code, answer.message);
            } else {
                send(exchange, 200, answer.body);
            }
        } catch (RuntimeException | Error e) {
            error(exchange, GrpcCode.INTERNAL, "peer failure: " + e);
        }
    }

    /** The older volume REST API's group snapshot route: snapPath("/snapshotgroup", "v1"), api/server/volume.go:1963. */
    private static final String GROUP_SNAPSHOT = "/v1/osd-snapshot/snapshotgroup";

    /**
     * The volume REST API's group snapshot, as {@code snapGroup} (api/server/volume.go:1668-1689 at 03325516) answers: the body is
     * a GroupSnapCreateRequest (api/api.proto:1564: {@code id}, {@code Labels}, {@code volume_ids},
     * {@code delete_on_failure}, Go's encoding/json names); one that does not decode is a 400 with the decoder's error
     * as plain text (l. 1673-1676, {@code http.Error}, server.go:228-231), as is any error of the driver's
     * {@code SnapshotGroup} (l. 1682-1686); success is the GroupSnapCreateResponse, {@code snapshots} by volume id
     * each {@code {"volume_create_response":{"id":...}}}, written by json.NewEncoder (l. 1688: a trailing newline, no
     * Content-Type set, so net/http sniffs one: text/plain for JSON,
     * zero fields left out by the generated struct's omitempty tags). The route is POST only (l. 1963: gorilla/mux
     * answers another method 405).
     *
     * <p>The driver side is Portworx's, whose code is not open (the open drivers answer ErrNotSupported): the peer
     * takes every snapshot under one lock, so they are one cut; a volume that does not exist fails the whole group
     * and nothing is made; each snapshot is read-only, made from its volume, carries the volume's labels and the
     * request's {@code Labels}, and is named {@code <group id>-<volume id>} (the naming is the peer's choice).
     */
    private void groupSnapshot(HttpExchange exchange, String method, PeerFaults.Rule fault) throws IOException {
        groupRequests.incrementAndGet();
        if (!method.equals("POST")) {
            plainText(exchange, 405, "Method Not Allowed");
            return;
        }
        if (groupSnapshots == GroupSnapshots.NOT_SUPPORTED) {
            plainText(exchange, 400, "Operation not supported");
            return;
        }
        JsonNode body;
        try {
            body = readBody(exchange);
        } catch (IOException e) {
            plainText(exchange, 400, "invalid character in the request: " + e.getMessage());
            return;
        }
        String group = text(body, "id");
        Map<String, String> labels = stringMap(body.get("Labels"));
        List<String> ids = new ArrayList<>();
        body.path("volume_ids").forEach(n -> ids.add(n.asText()));
        if (ids.isEmpty()) {
            // the driver's refusal of an empty group (the words are the peer's: Portworx's driver is not open)
            plainText(exchange, 400, "No volumes specified for group snapshot");
            return;
        }
        ObjectNode snapshots = JSON.createObjectNode();
        synchronized (lock) {
            for (String id : ids) {
                if (find(id) == null) {
                    plainText(exchange, 400, "Volume " + id + " not found"); // the whole group fails, nothing made
                    return;
                }
            }
            String why = faults.takeDriverFailure("groupsnapshot");
            if (why != null) {
                plainText(exchange, 400, why);
                return;
            }
            for (String id : ids) {
                PeerVolume parent = find(id);
                String name = (group == null ? "group" : group) + "-" + parent.id;
                PeerVolume snap = new PeerVolume(nextId(), name, parent.id, true, clock.instant());
                snap.copySpecFrom(parent);
                inheritLabels(parent, snap);
                if (!groupLabelsIgnored) { // see groupSnapshotsIgnoreLabels: the driver's choice (volume.go:1682)
                    snap.labels.putAll(labels);
                }
                copyData(parent, snap);
                volumes.put(snap.id, snap);
                journal.add(new Mutation("POST", GROUP_SNAPSHOT, parent.id + "->" + snap.id));
                snapshots.putObject(parent.id).putObject("volume_create_response").put("id", snap.id);
            }
        }
        if (fault != null && fault.action() == PeerFaults.Action.LOSE_ANSWER) {
            error(exchange, fault.code(), fault.message()); // the snapshots were taken; the answer is lost
            return;
        }
        ObjectNode out = JSON.createObjectNode();
        out.set("snapshots", snapshots);
        byte[] bytes = (JSON.writeValueAsString(out) + "\n").getBytes(StandardCharsets.UTF_8);
        // snapGroup sets no Content-Type (volume.go:1688); net/http's DetectContentType calls JSON text/plain
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(200, bytes.length);
        try (OutputStream outStream = exchange.getResponseBody()) {
            outStream.write(bytes);
        }
    }

    /** A handler's result: a body, or a gRPC error. */
    private record Answer(GrpcCode code, String message, JsonNode body) {
        static Answer ok(JsonNode body) {
            return new Answer(GrpcCode.OK, null, body);
        }

        static Answer error(GrpcCode code, String message) {
            return new Answer(code, message, null);
        }
    }

    private Answer route(String method, String path, String query, JsonNode body) {
        Matcher m;
        if (method.equals("GET") && (m = INSPECT.matcher(path)).matches()) {
            return inspect(decode(m.group(1)));
        }
        if (method.equals("POST") && path.equals("/v1/volumes/inspectwithfilters")) {
            return inspectWithFilters(body);
        }
        if (method.equals("POST") && path.equals("/v1/volumes")) {
            return create(body);
        }
        if (method.equals("POST") && path.equals("/v1/volumes/snapshots")) {
            return snapshotCreate(body);
        }
        if (method.equals("GET") && path.equals("/v1/volumes/snapshots")) {
            return snapshotEnumerate(queryParam(query, "volume_id"));
        }
        if (method.equals("POST") && path.equals("/v1/volumes/clone")) {
            return cloneVolume(body);
        }
        if (method.equals("POST") && path.equals("/v1/mountattach/detach")) {
            return detach(body);
        }
        if (method.equals("GET") && path.equals("/v1/nodes")) {
            synchronized (lock) {
                return Answer.ok(withList(JSON.createObjectNode(), "node_ids", List.copyOf(nodes.keySet())));
            }
        }
        if (method.equals("GET") && (m = NODE.matcher(path)).matches()) {
            synchronized (lock) {
                ObjectNode node = nodes.get(decode(m.group(1)));
                return node == null ? Answer.error(GrpcCode.NOT_FOUND, "Node id " + decode(m.group(1)) + " not found")
                        : Answer.ok(JSON.createObjectNode().set("node", node));
            }
        }
        if ((m = VOLUME.matcher(path)).matches()) {
            if (method.equals("PUT")) {
                return update(decode(m.group(1)), body);
            }
            if (method.equals("DELETE")) {
                return delete(decode(m.group(1)));
            }
        }
        throw new IllegalStateException("routingError let through " + method + " " + path);
    }

    /**
     * grpc-gateway's own answer for a request no handler takes, or null when one does: "Not Found" for an
     * unknown path, "Method Not Allowed" for a path known with another method (runtime/mux.go:214,274,284).
     */
    private static String routingError(String method, String path) {
        Set<String> methods = methodsFor(path);
        return methods.isEmpty() ? "Not Found" : methods.contains(method) ? null : "Method Not Allowed";
    }

    private static Set<String> methodsFor(String path) {
        if (INSPECT.matcher(path).matches() || NODE.matcher(path).matches() || path.equals("/v1/nodes")) {
            return Set.of("GET");
        }
        if (path.equals("/v1/volumes")) {
            return Set.of("POST");
        }
        if (path.equals("/v1/volumes/snapshots")) {
            return Set.of("GET", "POST");
        }
        if (path.equals("/v1/volumes/inspectwithfilters") || path.equals("/v1/volumes/clone")
                || path.equals("/v1/mountattach/detach")) {
            return Set.of("POST");
        }
        if (VOLUME.matcher(path).matches()) {
            return Set.of("PUT", "DELETE");
        }
        return Set.of();
    }

    /** Go's http.Error (runtime/errors.go:182-186): the text and a newline, text/plain, not JSON. */
    private static void plainText(HttpExchange exchange, int status, String text) throws IOException {
        byte[] bytes = (text + "\n").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private Answer inspect(String idOrName) {
        synchronized (lock) {
            PeerVolume v = find(idOrName);
            if (v == null) {
                return Answer.error(GrpcCode.NOT_FOUND, "Volume id " + idOrName + " not found");
            }
            return Answer.ok(inspectResponse(v));
        }
    }

    private Answer inspectWithFilters(JsonNode body) {
        String name = text(body, "name");
        Map<String, String> labels = stringMap(body.get("labels"));
        synchronized (lock) {
            ObjectNode out = JSON.createObjectNode();
            ArrayNode list = JSON.createArrayNode();
            for (PeerVolume v : volumes.values()) {
                boolean nameOk = name == null || name.equals(v.name);
                boolean labelsOk = labels.entrySet().stream()
                        .allMatch(e -> e.getValue().equals(v.labels.get(e.getKey())));
                if (nameOk && labelsOk) {
                    list.add(inspectResponse(v));
                }
            }
            if (!list.isEmpty()) {
                out.set("volumes", list); // an empty list is left out, as every zero value
            }
            return Answer.ok(out);
        }
    }

    private Answer create(JsonNode body) {
        String name = text(body, "name");
        if (name == null) {
            return Answer.error(GrpcCode.INVALID_ARGUMENT, "Must supply a unique name");
        }
        if (!body.hasNonNull("spec")) {
            return Answer.error(GrpcCode.INVALID_ARGUMENT, "Must supply spec object");
        }
        JsonNode spec = body.get("spec");
        long size = spec.path("size").asLong(0);
        synchronized (lock) {
            PeerVolume existing = byName(name);
            if (existing != null) {
                if (existing.size != size) {
                    return Answer.error(GrpcCode.ALREADY_EXISTS, "Existing volume has a size of " + existing.size
                            + " which differs from requested size of " + size);
                }
                if (existing.parent != null) {
                    return Answer.error(GrpcCode.ALREADY_EXISTS, "Existing volume has conflicting parent value");
                }
                return Answer.ok(JSON.createObjectNode().put("volume_id", existing.id));
            }
            if (size == 0) {
                return Answer.error(GrpcCode.INTERNAL, "Failed to create volume: Volume size cannot be zero");
            }
            String why = faults.takeDriverFailure("create");
            if (why != null) {
                return Answer.error(GrpcCode.INTERNAL, "Failed to create volume: " + why); // volume_ops.go:255-258
            }
            PeerVolume v = new PeerVolume(nextId(), name, null, false, clock.instant());
            v.size = size;
            v.haLevel = spec.path("ha_level").asLong(1);
            v.cos = spec.path("cos").asText(null);
            v.ioProfile = spec.path("io_profile").asText(null);
            v.labels.putAll(stringMap(body.get("labels")));
            if (data != null) {
                v.data = data.createEmpty(v.id);
            }
            volumes.put(v.id, v);
            journal.add(new Mutation("POST", "/v1/volumes", v.id));
            return Answer.ok(JSON.createObjectNode().put("volume_id", v.id));
        }
    }

    private Answer snapshotCreate(JsonNode body) {
        String volumeId = text(body, "volume_id");
        String name = text(body, "name");
        if (volumeId == null) {
            return Answer.error(GrpcCode.INVALID_ARGUMENT, "Must supply volume id");
        }
        if (name == null) {
            return Answer.error(GrpcCode.INVALID_ARGUMENT, "Must supply a name");
        }
        synchronized (lock) {
            PeerVolume parent = find(volumeId);
            if (parent == null) {
                return Answer.error(GrpcCode.NOT_FOUND, "Id " + volumeId + " not found");
            }
            String why = faults.takeDriverFailure("snapshot");
            if (why != null) {
                return Answer.error(GrpcCode.INTERNAL, "Failed to create snapshot: " + why);
            }
            // No name check: volume_snapshot.go:30-67 passes the name to the driver, whose Snapshot makes a new
            // volume whatever the name (fake.go:280-299). Driver failures come back Internal (volume_snapshot.go:61).
            long existing = volumes.values().stream().filter(v -> v.readonly && parent.id.equals(v.parent)).count();
            if (existing >= snapshotCap) {
                return Answer.error(GrpcCode.INTERNAL, "Failed to create snapshot: volume " + parent.id
                        + " already has the maximum of " + snapshotCap + " snapshots");
            }
            PeerVolume snap = new PeerVolume(nextId(), name, parent.id, true, clock.instant());
            snap.copySpecFrom(parent);
            inheritLabels(parent, snap);
            snap.labels.putAll(stringMap(body.get("labels")));
            copyData(parent, snap);
            volumes.put(snap.id, snap);
            journal.add(new Mutation("POST", "/v1/volumes/snapshots", parent.id + "->" + snap.id));
            return Answer.ok(JSON.createObjectNode().put("snapshot_id", snap.id));
        }
    }

    /**
     * Every volume made from the volume, snapshots and clones alike (default_store_enumerator.go:132-156 only
     * looks at {@code source.parent}); the volume must exist (volume_snapshot.go:146, NotFound through Inspect);
     * without a volume id, every derived volume (volume_snapshot.go:145-152).
     */
    private Answer snapshotEnumerate(String volumeId) {
        synchronized (lock) {
            PeerVolume volume = volumeId == null ? null : find(volumeId);
            if (volumeId != null && volume == null) {
                return Answer.error(GrpcCode.NOT_FOUND, "Volume id " + volumeId + " not found");
            }
            List<String> ids = volumes.values().stream()
                    .filter(v -> v.parent != null && (volume == null || volume.id.equals(v.parent)))
                    .map(v -> v.id).toList();
            return Answer.ok(withList(JSON.createObjectNode(), "volume_snapshot_ids", ids));
        }
    }

    private Answer cloneVolume(JsonNode body) {
        String name = text(body, "name");
        String parentId = text(body, "parent_id");
        if (name == null) {
            return Answer.error(GrpcCode.INVALID_ARGUMENT, "Must supply a uniqe name");
        }
        if (parentId == null) {
            return Answer.error(GrpcCode.INVALID_ARGUMENT, "Must parent volume id");
        }
        synchronized (lock) {
            PeerVolume parent = find(parentId);
            if (parent == null) {
                return Answer.error(GrpcCode.NOT_FOUND, "Volume id " + parentId + " not found");
            }
            PeerVolume existing = byName(name);
            if (existing != null) {
                if (!parent.id.equals(existing.parent)) {
                    return Answer.error(GrpcCode.ALREADY_EXISTS, "Existing volume has conflicting parent value");
                }
                return Answer.ok(JSON.createObjectNode().put("volume_id", existing.id));
            }
            String why = faults.takeDriverFailure("clone");
            if (why != null) {
                // volume_ops.go:178-190: the driver's snapshot failed, answered Aborted
                return Answer.error(GrpcCode.ABORTED, "unable to create snapshot: " + why);
            }
            PeerVolume clone = new PeerVolume(nextId(), name, parent.id, false, clock.instant());
            clone.copySpecFrom(parent);
            inheritLabels(parent, clone);
            if (additionalLabels) {
                mergeLabels(clone, stringMap(body.get("additional_labels")));
            }
            copyData(parent, clone);
            volumes.put(clone.id, clone);
            journal.add(new Mutation("POST", "/v1/volumes/clone", parent.id + "->" + clone.id));
            return Answer.ok(JSON.createObjectNode().put("volume_id", clone.id));
        }
    }

    private Answer update(String volumeId, JsonNode body) {
        synchronized (lock) {
            PeerVolume v = find(volumeId);
            if (v == null) {
                return Answer.error(GrpcCode.NOT_FOUND, "Volume id " + volumeId + " not found");
            }
            if (foreign.contains(v.id)) {
                return Answer.error(GrpcCode.PERMISSION_DENIED, "Cannot update volume");
            }
            JsonNode spec = body.get("spec");
            boolean specChange = spec != null && spec.size() > 0;
            if (specChange && v.readonly) {
                return Answer.error(GrpcCode.FAILED_PRECONDITION, "Failed to update volume: " + v.id
                        + " is a snapshot and read-only");
            }
            journal.add(new Mutation("PUT", "/v1/volumes/" + volumeId, v.id));
            mergeLabels(v, stringMap(body.get("labels")));
            if (specChange) {
                if (spec.has("cos")) {
                    v.cos = spec.get("cos").asText();
                }
                if (spec.has("io_profile")) {
                    v.ioProfile = spec.get("io_profile").asText();
                }
                if (spec.has("replica_set")) {
                    List<String> replicas = new ArrayList<>();
                    spec.get("replica_set").path("nodes").forEach(n -> replicas.add(n.asText()));
                    v.replicaNodes = List.copyOf(replicas);
                }
            }
            return Answer.ok(JSON.createObjectNode());
        }
    }

    /**
     * SdkVolumeDetach ({@code api.proto} OpenStorageMountAttach.Detach, {@code POST /v1/mountattach/detach}):
     * {@code volume_node_ops.go} Detach needs a volume id, answers OK for a volume that does not exist (idempotent)
     * and needs write access to the volume; the driver then detaches it from whichever node holds it.
     */
    private Answer detach(JsonNode body) {
        String volumeId = text(body, "volume_id");
        if (volumeId == null) {
            return Answer.error(GrpcCode.INVALID_ARGUMENT, "Must supply volume id");
        }
        synchronized (lock) {
            PeerVolume v = find(volumeId);
            if (v == null) {
                return Answer.ok(JSON.createObjectNode());
            }
            if (foreign.contains(v.id)) {
                return Answer.error(GrpcCode.PERMISSION_DENIED, "Access denied to volume " + v.id);
            }
            journal.add(new Mutation("POST", "/v1/mountattach/detach", v.id));
            v.attachedOn = null;
            return Answer.ok(JSON.createObjectNode());
        }
    }

    private Answer delete(String volumeId) {
        synchronized (lock) {
            PeerVolume v = find(volumeId);
            if (v == null) {
                return Answer.ok(JSON.createObjectNode()); // volume_ops.go: not found is OK, to be idempotent
            }
            if (foreign.contains(v.id)) {
                return Answer.error(GrpcCode.PERMISSION_DENIED, "Cannot delete volume " + v.id);
            }
            journal.add(new Mutation("DELETE", "/v1/volumes/" + volumeId, v.id));
            // Snapshots and clones made from it do not stop a delete: volume_ops.go:398 passes it to the driver,
            // which does not look for them (fake.go:239-253).
            if (v.attachedOn != null) {
                return Answer.error(GrpcCode.INTERNAL, "Failed to delete volume " + volumeId + ": volume " + v.id
                        + " is attached on node " + v.attachedOn + "; detach it first");
            }
            volumes.remove(v.id);
            if (data != null && data.isOwnCopy(v.data)) {
                data.delete(v.data);
            }
            return Answer.ok(JSON.createObjectNode());
        }
    }

    // ---- JSON helpers ----

    /** A snapshot's or clone's bytes: a copy of its parent's, when the peer keeps data and the parent has some. */
    private void copyData(PeerVolume parent, PeerVolume derived) {
        if (data != null && parent.data != null) {
            derived.data = data.copy(parent.data, derived.id);
        }
    }

    private ObjectNode inspectResponse(PeerVolume v) {
        ObjectNode out = JSON.createObjectNode();
        ObjectNode vol = out.putObject("volume");
        vol.put("id", v.id);
        if (v.parent != null) {
            vol.putObject("source").put("parent", v.parent);
        }
        if (v.readonly) {
            vol.put("readonly", true);
        }
        ObjectNode locator = vol.putObject("locator").put("name", v.name);
        if (!v.labels.isEmpty()) {
            locator.set("volume_labels", JSON.valueToTree(v.labels));
        }
        vol.put("ctime", v.ctime.toString());
        // JSONPb without EmitDefaults (marshaler_registry.go:19): zero values are left out, enum 0 included
        ObjectNode spec = vol.putObject("spec");
        if (v.size != 0) {
            spec.put("size", Long.toString(v.size));
        }
        if (v.haLevel != 0) {
            spec.put("ha_level", Long.toString(v.haLevel));
        }
        if (v.cos != null && !v.cos.equals("NONE")) {
            spec.put("cos", v.cos);
        }
        if (v.ioProfile != null && !v.ioProfile.equals("IO_PROFILE_SEQUENTIAL")) {
            spec.put("io_profile", v.ioProfile);
        }
        if (v.replicaNodes != null && !v.replicaNodes.isEmpty()) {
            ArrayNode nodesJson = spec.putObject("replica_set").putArray("nodes");
            v.replicaNodes.forEach(nodesJson::add);
        }
        vol.put("format", "FS_TYPE_EXT4").put("status", "VOLUME_STATUS_UP")
                .put("state", v.attachedOn == null ? "VOLUME_STATE_DETACHED" : "VOLUME_STATE_ATTACHED");
        if (v.attachedOn != null) {
            vol.put("attached_on", v.attachedOn);
        }
        out.put("name", v.name);
        if (!v.labels.isEmpty()) {
            out.set("labels", JSON.valueToTree(v.labels));
        }
        return out;
    }

    private PeerVolume find(String idOrName) {
        PeerVolume byId = volumes.get(idOrName);
        return byId != null ? byId : byName(idOrName);
    }

    /** The one volume of that name; none when two share it (default_store_enumerator.go:32-44). */
    private PeerVolume byName(String name) {
        PeerVolume found = null;
        for (PeerVolume v : volumes.values()) {
            if (name.equals(v.name)) {
                if (found != null) {
                    return null;
                }
                found = v;
            }
        }
        return found;
    }

    /**
     * A snapshot's or clone's labels at birth: its parent's, except {@code pvc} and {@code namespace}
     * (api.proto:3728-3730, "clone will issue a snapshot, which copies most labels except pvc and namespace").
     */
    private static void inheritLabels(PeerVolume parent, PeerVolume child) {
        parent.labels.forEach((key, value) -> {
            if (!key.equals("pvc") && !key.equals("namespace")) {
                child.labels.put(key, value);
            }
        });
    }

    /** Update's merge: given labels are set, an empty value deletes one (fake.go:351-364). */
    private static void mergeLabels(PeerVolume v, Map<String, String> labels) {
        labels.forEach((key, value) -> {
            if (value.isEmpty()) {
                v.labels.remove(key);
            } else {
                v.labels.put(key, value);
            }
        });
    }

    private static ObjectNode withList(ObjectNode out, String field, List<String> values) {
        if (!values.isEmpty()) {
            values.forEach(out.putArray(field)::add);
        }
        return out;
    }

    private String nextId() {
        return Long.toString(ids.incrementAndGet()) + "0000" + Long.toHexString(ids.get() * 7919);
    }

    private static JsonNode readBody(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            byte[] bytes = in.readAllBytes();
            return bytes.length == 0 ? JSON.createObjectNode() : JSON.readTree(bytes);
        }
    }

    private static String text(JsonNode body, String field) {
        JsonNode node = body.get(field);
        return node == null || node.isNull() || node.asText().isEmpty() ? null : node.asText();
    }

    private static Map<String, String> stringMap(JsonNode node) {
        Map<String, String> map = new LinkedHashMap<>();
        if (node != null && node.isObject()) {
            node.fields().forEachRemaining(e -> map.put(e.getKey(), e.getValue().asText()));
        }
        return map;
    }

    private static String queryParam(String query, String name) {
        if (query == null) {
            return null;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).equals(name)) {
                String value = decode(pair.substring(eq + 1));
                return value.isEmpty() ? null : value;
            }
        }
        return null;
    }

    private static String decode(String text) {
        return URLDecoder.decode(text, StandardCharsets.UTF_8);
    }

    private static void error(HttpExchange exchange, GrpcCode code, String message) throws IOException {
        // runtime/errors.go:134-139: internal.Error{Error, Message, Code, Details}
        ObjectNode body = JSON.createObjectNode().put("error", message).put("code", code.number())
                .put("message", message);
        body.putArray("details");
        send(exchange, code.httpStatus(), body);
    }

    private static void send(HttpExchange exchange, int status, JsonNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static void sleep(long millis) {
        if (millis <= 0) {
            return;
        }
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
