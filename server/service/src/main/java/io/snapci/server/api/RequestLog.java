package io.snapci.server.api;

import io.snapci.server.auth.Caller;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One line per request: method, path, status, caller name. Never headers, query strings or bodies. */
final class RequestLog implements ContainerResponseFilter {

    private static final Logger LOG = LoggerFactory.getLogger("snapci.api");

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        Object caller = request.getProperty(BearerAuthFilter.CALLER);
        String path = request.getUriInfo().getPath();
        if (LOG.isInfoEnabled() && !HealthResource.PATH.equals(path)) {
            LOG.info("{} /{} {} {}", request.getMethod(), path.length() > 200 ? path.substring(0, 200) : path,
                    response.getStatus(), caller instanceof Caller c ? c.name() : "-");
        }
    }
}
