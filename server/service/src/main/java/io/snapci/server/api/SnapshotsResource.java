package io.snapci.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.snapci.scheduler.core.storage.StorageException;
import io.snapci.scheduler.core.schedule.Retention;
import io.snapci.scheduler.core.schedule.SnapshotSchedule;
import io.snapci.server.ApiProblem;
import io.snapci.server.config.Durations;
import io.snapci.server.runs.RunBackend;
import io.snapci.scheduler.core.schedule.SnapshotCatalog;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * {@code /v1/snapshots} and {@code /v1/schedules}: the Portworx snapshots snapci took and the schedules that take
 * them (see docs/api.md). On one machine there are none: every run copies the data directory afresh, and these
 * answer 409 saying so.
 */
@Path("v1")
@Produces(MediaType.APPLICATION_JSON)
public final class SnapshotsResource {

    private static final Set<String> SCHEDULE_FIELDS = Set.of("name", "volume", "every", "cron", "keepLast", "maxAge");

    private final RunBackend backend;
    private final io.snapci.server.audit.AuditRecorder audit;

    @Inject
    public SnapshotsResource(RunBackend backend, io.snapci.server.audit.AuditRecorder audit) {
        this.backend = backend;
        this.audit = audit;
    }

    private static io.snapci.server.auth.Caller caller(jakarta.ws.rs.container.ContainerRequestContext request) {
        return (io.snapci.server.auth.Caller) request.getProperty(BearerAuthFilter.CALLER);
    }

    /** The schedule's volume, for the audit entry; empty for a name no schedule has. */
    private static java.util.List<String> volumeOf(SnapshotCatalog catalog, String schedule) {
        return catalog.schedules().stream().map(io.snapci.scheduler.core.schedule.ScheduleState::schedule)
                .filter(s -> s.name().equals(schedule))
                .map(SnapshotSchedule::sourceVolume).toList();
    }

    private SnapshotCatalog catalog() {
        return backend.snapshots().orElseThrow(() -> ApiProblem.conflict(null, "snapci runs in " + backend.mode()
                + " mode, which has no snapshots: each run copies the data directory afresh. Snapshots and "
                + "schedules are Portworx's, in a cluster (mode=mesos)."));
    }

    @GET
    @Path("snapshots")
    public Response snapshots() {
        try {
            return Response.ok(Map.of("snapshots", catalog().snapshots())).build();
        } catch (StorageException e) {
            throw ApiProblem.unavailable("Portworx could not list the snapshots: " + e.getMessage());
        }
    }

    /** {@code {"schedule": "nightly"}}: that schedule's snapshot, now, under its retention. */
    @POST
    @Path("snapshots")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response takeNow(InputStream body,
                            @jakarta.ws.rs.core.Context jakarta.ws.rs.container.ContainerRequestContext context) {
        JsonNode request = read(body, Set.of("schedule"));
        String schedule = text(request, "schedule", true);
        SnapshotCatalog catalog = catalog();
        try {
            String snapshot = catalog.takeNow(schedule);
            audit.operation(caller(context), io.snapci.scheduler.core.audit.AuditAction.SNAPSHOT_CREATED,
                    volumeOf(catalog, schedule), snapshot, "schedule " + schedule);
            return Response.status(201).entity(Map.of("snapshot", snapshot, "schedule", schedule)).build();
        } catch (IllegalArgumentException e) {
            throw ApiProblem.invalid("schedule", e.getMessage() + "; create it first (POST v1/schedules)");
        } catch (StorageException e) {
            throw ApiProblem.unavailable("Portworx could not take the snapshot: " + e.getMessage());
        }
    }

    @GET
    @Path("schedules")
    public Response schedules() {
        return Response.ok(Map.of("schedules", catalog().schedules())).build();
    }

    /** {@code {"name", "volume", "every": "1h" | "cron": "0 3 * * *", "keepLast": 7, "maxAge": "168h"}}. */
    @POST
    @Path("schedules")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response addSchedule(InputStream body,
                                @jakarta.ws.rs.core.Context jakarta.ws.rs.container.ContainerRequestContext context) {
        JsonNode request = read(body, SCHEDULE_FIELDS);
        SnapshotCatalog catalog = catalog();
        String name = text(request, "name", true);
        String volume = text(request, "volume", true);
        String every = text(request, "every", false);
        String cron = text(request, "cron", false);
        if ((every == null) == (cron == null)) {
            throw ApiProblem.invalid(every == null ? "every" : "cron", "give exactly one of every (e.g. \"1h\") or "
                    + "cron (e.g. \"0 3 * * *\", UTC)");
        }
        Integer keepLast = null;
        if (request.has("keepLast")) {
            if (!request.get("keepLast").canConvertToInt() || !request.get("keepLast").isIntegralNumber()) {
                throw ApiProblem.invalid("keepLast", "expected a whole number of snapshots to keep");
            }
            keepLast = request.get("keepLast").intValue();
        }
        Duration maxAge = request.has("maxAge") ? duration(request, "maxAge") : null;
        try {
            Retention retention = new Retention(keepLast, maxAge);
            SnapshotSchedule schedule = every != null
                    ? SnapshotSchedule.every(name, volume, duration(request, "every"), retention)
                    : SnapshotSchedule.cron(name, volume, cron, retention);
            catalog.add(schedule);
            audit.operation(caller(context), io.snapci.scheduler.core.audit.AuditAction.SCHEDULE_CREATED,
                    java.util.List.of(volume), name, every != null ? "every " + every : "cron " + cron);
            return Response.status(201).entity(schedule).build();
        } catch (IllegalArgumentException e) {
            throw ApiProblem.invalid("body", e.getMessage());
        }
    }

    @DELETE
    @Path("schedules/{name}")
    public Response removeSchedule(@PathParam("name") String name,
                                   @jakarta.ws.rs.core.Context jakarta.ws.rs.container.ContainerRequestContext context) {
        SnapshotCatalog catalog = catalog();
        java.util.List<String> volume = volumeOf(catalog, name);
        if (!catalog.remove(name)) {
            throw ApiProblem.notFound("no snapshot schedule named '" + name + "'");
        }
        audit.operation(caller(context), io.snapci.scheduler.core.audit.AuditAction.SCHEDULE_DELETED, volume, name,
                null);
        return Response.noContent().build();
    }

    /** The body: a JSON object of no other fields than {@code known}. */
    private static JsonNode read(InputStream body, Set<String> known) {
        JsonNode request;
        try {
            request = ApiJson.strict().readTree(body.readNBytes(RunRequestReader.MAX_BODY_BYTES));
        } catch (IOException e) {
            throw ApiProblem.invalid("body", "not valid JSON: " + e.getMessage());
        }
        if (request == null || !request.isObject()) {
            throw ApiProblem.invalid("body", "must be a JSON object");
        }
        request.fieldNames().forEachRemaining(field -> {
            if (!known.contains(field)) {
                throw ApiProblem.invalid(field, "unknown field; known fields: " + known.stream().sorted().toList());
            }
        });
        return request;
    }

    private static String text(JsonNode request, String field, boolean required) {
        JsonNode node = request.get(field);
        if (node == null || node.isNull()) {
            if (required) {
                throw ApiProblem.invalid(field, "is required");
            }
            return null;
        }
        if (!node.isTextual() || node.textValue().isBlank() || node.textValue().length() > 200) {
            throw ApiProblem.invalid(field, "expected a non-empty string of at most 200 characters");
        }
        return node.textValue();
    }

    private static Duration duration(JsonNode request, String field) {
        String text = text(request, field, true);
        return Durations.parse(text).orElseThrow(() -> ApiProblem.invalid(field, "expected a duration such as "
                + "30m, 1h or 168h"));
    }
}
