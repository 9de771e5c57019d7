package io.snapci.server.api;

import io.snapci.server.ApiProblem;
import io.snapci.server.auth.AuthProblem;
import io.snapci.server.auth.Authenticator;
import io.snapci.server.auth.Caller;
import io.snapci.server.ui.UiResource;
import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import java.util.Set;

/**
 * Every request but the health check carries a bearer token (before routing, so unknown paths reveal nothing
 * either). No or an unaccepted token is 401 with {@code WWW-Authenticate: Bearer}; a read-only token asking to
 * change something is 403. The token itself is never logged, stored or echoed. The web UI's few static files are
 * public too ({@link UiResource}): the page must load before the user has typed a token.
 */
@PreMatching
@Priority(Priorities.AUTHENTICATION)
public final class BearerAuthFilter implements ContainerRequestFilter {

    public static final String CALLER = "snapci.caller";
    private static final Set<String> READ_METHODS = Set.of("GET", "HEAD", "OPTIONS");

    private final Authenticator authenticator;

    @Inject
    public BearerAuthFilter(Authenticator authenticator) {
        this.authenticator = authenticator;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (HealthResource.PATH.equals(path) || ("/" + HealthResource.PATH).equals(path)
                || UiResource.isStaticFile(request.getMethod(), path)) {
            return;
        }
        try {
            Caller caller = authenticator.authenticate(request.getHeaderString(HttpHeaders.AUTHORIZATION));
            if (!caller.canWrite() && !READ_METHODS.contains(request.getMethod())) {
                throw AuthProblem.forbidden("this token may only read (GET); submitting and cancelling runs needs "
                        + "a token from auth.tokens");
            }
            request.setProperty(CALLER, caller);
        } catch (AuthProblem e) {
            ApiProblem problem = new ApiProblem(e.status(), e.status() == 401 ? "unauthorized" : "forbidden",
                    null, e.getMessage());
            Response.ResponseBuilder response = Response.fromResponse(ProblemResponses.of(problem));
            if (e.status() == 401) {
                response.header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"snapci\"");
            }
            request.abortWith(response.build());
        }
    }
}
