package io.snapci.server.api;

import io.snapci.server.runs.RunBackend;
import io.snapci.server.runs.RunDispatcher;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code GET /v1/health}, Marathon's health check: open without a token, 200 while the server takes runs, 503 once
 * it is shutting down (so Marathon stops sending it traffic). A standby (another process holds the leader lock) is
 * healthy and says so: {@code "status": "standby"} with the leader's id — Marathon must not kill it, it is the
 * one that takes over.
 */
@Path("v1/health")
@Produces(MediaType.APPLICATION_JSON)
public final class HealthResource {

    public static final String PATH = "v1/health";

    private final RunBackend backend;
    private final RunDispatcher dispatcher;

    @Inject
    public HealthResource(RunBackend backend, RunDispatcher dispatcher) {
        this.backend = backend;
        this.dispatcher = dispatcher;
    }

    @GET
    public Response health() {
        boolean accepting = dispatcher.isAccepting();
        Map<String, Object> body = new LinkedHashMap<>();
        boolean leading = backend.leadership().isLeader();
        body.put("status", !accepting ? "stopping" : leading ? "ok" : "standby");
        body.put("mode", backend.mode());
        if (!leading) {
            backend.leadership().leader().ifPresent(leader -> body.put("leader", leader));
        }
        body.put("executing", dispatcher.runningCount());
        body.put("queued", dispatcher.waitingCount());
        return Response.status(accepting ? 200 : 503).entity(body).build();
    }
}
