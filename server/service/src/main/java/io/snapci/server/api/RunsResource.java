package io.snapci.server.api;

import io.snapci.model.RunSpec;

import io.snapci.server.config.ServeConfig;
import io.snapci.model.RunStatus;
import io.snapci.scheduler.core.state.NewerSchemaException;
import io.snapci.scheduler.core.state.RunPage;
import io.snapci.server.ApiProblem;
import io.snapci.server.events.EventSubscription;
import io.snapci.server.events.RunEvents;
import io.snapci.server.events.StreamPosition;
import io.snapci.server.runs.RunBackend;
import io.snapci.server.runs.RunDispatcher;
import io.snapci.server.runs.RunFiles;
import io.snapci.server.runs.RunSubmissions;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;

import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** {@code /v1/runs}: submit, list, read, follow, cancel runs; their logs and JUnit XML. See docs/api.md. */
@Path("v1/runs")
@Produces(MediaType.APPLICATION_JSON)
public final class RunsResource {

    private final RunBackend backend;
    private final RunSubmissions submissions;
    private final RunDispatcher dispatcher;
    private final RunEvents events;
    private final EventStreams streams;
    private final RunRequestReader reader;
    private final io.snapci.server.config.MaskingPolicy masking;
    private final io.snapci.server.audit.AuditRecorder audit;

    @Inject
    public RunsResource(RunBackend backend, RunSubmissions submissions, RunDispatcher dispatcher, RunEvents events,
                        EventStreams streams, ServeConfig config, io.snapci.server.audit.AuditRecorder audit) {
        this.audit = audit;
        this.reader = new RunRequestReader(config.defaultTimeouts());
        this.masking = config.masking();
        this.backend = backend;
        this.submissions = submissions;
        this.dispatcher = dispatcher;
        this.events = events;
        this.streams = streams;
    }

    /** 201 with the new QUEUED run; 200 with the existing run when its client key was used before. */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response submit(InputStream body, @Context UriInfo uri,
                           @Context jakarta.ws.rs.container.ContainerRequestContext request) {
        RunRequestReader.RunRequest run = reader.read(body);
        RunSpec spec = run.spec();
        try {
            spec = masking.resolve(spec);
            RunSpecLimits.check(spec);
            backend.rules().check(spec);
            masking.check(spec);
        } catch (ApiProblem refused) {
            audit.refused(caller(request), spec, refused.body().field(), masking.requiredFor(spec.source()));
            throw refused;
        }
        RunSubmissions.Submitted submitted = submissions.submit(spec, run.clientKey());
        if (submitted.created()) {
            audit.submitted(caller(request), submitted.run());
        }
        Response.ResponseBuilder response = submitted.created()
                ? Response.created(uri.getAbsolutePathBuilder().path(submitted.run().id()).build())
                : Response.ok();
        return response.entity(submitted.run()).build();
    }

    /** A page of runs, newest first; {@code next} (a cursor for {@code after}) only when more runs match. */
    @GET
    public Map<String, Object> list(@Context UriInfo uri) {
        RunQuery query = RunQuery.from(uri.getQueryParameters());
        RunPage page = backend.store().page(query.afterRunId(), query.limit(), query::matches);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("count", page.runs().size());
        body.put("runs", page.runs());
        if (page.hasNext()) {
            body.put("next", RunCursor.after(page.next()));
        }
        return body;
    }

    @GET
    @Path("{id}")
    public RunStatus get(@PathParam("id") String id) {
        return find(id);
    }

    /** Server-sent events: the run as it is, then its phase changes, test counts, progress and log lines. */
    @GET
    @Path("{id}/events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public void events(@PathParam("id") String id, @HeaderParam("Last-Event-ID") String lastEventId,
                       @Context UriInfo uri, @Context SseEventSink sink, @Context Sse sse) {
        noParameters(uri);
        RunIdParam.check(id);
        StreamPosition resumeAfter;
        try {
            resumeAfter = StreamPosition.parse(lastEventId);
        } catch (IllegalArgumentException e) {
            throw ApiProblem.invalid("Last-Event-ID", e.getMessage());
        }
        // Subscribed before the run is read, so nothing that happens in between is missed.
        EventSubscription subscription = events.subscribe(id, resumeAfter);
        Optional<RunStatus> current = stored(id);
        if (current.isEmpty()) {
            subscription.close();
            throw notFound(id);
        }
        streams.stream(subscription, current.get(), sink, sse);
    }

    @GET
    @Path("{id}/logs")
    @Produces(MediaType.TEXT_PLAIN + ";charset=utf-8")
    public Response logs(@PathParam("id") String id, @Context UriInfo uri) {
        find(id);
        LogRequest request = LogRequest.from(uri.getQueryParameters());
        java.nio.file.Path file = backend.files().log(id, request.task(), request.stderr())
                .orElseThrow(() -> ApiProblem.notFound("run " + id + " has no " + request.describe() + " log (yet): "
                        + (request.task() == RunFiles.Task.TESTS ? "the tests have not started"
                        : "Cassandra has not started") + ", or the run's files were removed"));
        return Response.ok(new FileTail(file, request.tailBytes())).build();
    }

    @GET
    @Path("{id}/junit")
    @Produces(MediaType.APPLICATION_XML)
    public Response junit(@PathParam("id") String id, @Context UriInfo uri) {
        noParameters(uri);
        RunStatus run = find(id);
        java.nio.file.Path file = backend.files().junit(id).orElseThrow(() -> ApiProblem.notFound("run " + id
                + " has no JUnit XML: " + (run.spec().junitGlob() == null ? "its spec has no junitGlob"
                : run.phase().isTerminal() ? "no report matched " + run.spec().junitGlob()
                : "the tests have not finished")));
        return Response.ok(new FileTail(file, 0)).build();
    }

    /** 202 while the run stops (it ends CANCELLED once its processes and copy are gone); 409 if it had ended. */
    @DELETE
    @Path("{id}")
    public Response cancel(@PathParam("id") String id, @Context UriInfo uri,
                           @Context jakarta.ws.rs.container.ContainerRequestContext request) {
        noParameters(uri);
        RunStatus run = find(id);
        if (run.phase().isTerminal()) {
            throw ApiProblem.conflict("id", "run " + id + " already ended " + run.phase() + "; nothing to cancel");
        }
        dispatcher.cancel(id);
        audit.cancelled(caller(request), run);
        return Response.accepted(find(id)).build();
    }

    /** Set by {@link BearerAuthFilter} on every request that reaches a resource. */
    private static io.snapci.server.auth.Caller caller(jakarta.ws.rs.container.ContainerRequestContext request) {
        return (io.snapci.server.auth.Caller) request.getProperty(BearerAuthFilter.CALLER);
    }

    private RunStatus find(String id) {
        return stored(RunIdParam.check(id)).orElseThrow(() -> notFound(id));
    }

    /** The stored run; one a newer major version of snapci wrote is a 500 that says so, not an anonymous one. */
    private Optional<RunStatus> stored(String id) {
        try {
            return backend.store().find(id);
        } catch (RuntimeException e) {
            for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                if (cause instanceof NewerSchemaException newer) {
                    throw new ApiProblem(500, "newer_record", null, "run " + id + " cannot be shown: "
                            + newer.getMessage());
                }
            }
            throw e;
        }
    }

    private static ApiProblem notFound(String id) {
        return ApiProblem.notFound("no run with id '" + id + "'");
    }

    private static void noParameters(UriInfo uri) {
        uri.getQueryParameters().keySet().stream().findFirst().ifPresent(name -> {
            throw ApiProblem.invalid(name, "unknown query parameter; this endpoint takes none");
        });
    }
}
