package io.snapci.server.api;

import io.snapci.server.auth.Caller;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code GET /v1/caller}: who the request's token is and whether it may change things, so that a client (the web
 * UI) offers only what the token may do: a read-only token gets no working cancel button.
 */
@Path("v1/caller")
@Produces(MediaType.APPLICATION_JSON)
public final class CallerResource {

    @GET
    public Map<String, Object> caller(@Context ContainerRequestContext request) {
        Caller caller = (Caller) request.getProperty(BearerAuthFilter.CALLER);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", caller.name());
        body.put("canWrite", caller.canWrite());
        return body;
    }
}
