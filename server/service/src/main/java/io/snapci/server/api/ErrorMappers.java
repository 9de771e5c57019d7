package io.snapci.server.api;

import io.snapci.server.ApiProblem;
import jakarta.ws.rs.NotAcceptableException;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.UUID;

/** Turns every failure into the API's JSON error shape, so a client never has to parse an HTML error page. */
final class ErrorMappers {

    private static final Logger LOG = LoggerFactory.getLogger(ErrorMappers.class);

    private ErrorMappers() {
    }

    static final class Problems implements ExceptionMapper<ApiProblem> {
        @Override
        public Response toResponse(ApiProblem problem) {
            return ProblemResponses.of(problem);
        }
    }

    /** Jersey's own refusals: no such path, method, content type or representation. */
    static final class Web implements ExceptionMapper<WebApplicationException> {
        @Override
        public Response toResponse(WebApplicationException e) {
            int status = e.getResponse().getStatus();
            String message;
            if (e instanceof NotFoundException) {
                message = "no such endpoint; the API is under /v1 (see docs/api.md)";
            } else if (e instanceof NotAllowedException) {
                message = "this endpoint does not take that method; it takes " + e.getResponse().getAllowedMethods();
            } else if (e instanceof NotSupportedException) {
                message = "send the body as JSON with 'Content-Type: application/json'";
            } else if (e instanceof NotAcceptableException) {
                message = "this endpoint cannot answer in the media type the Accept header asks for";
            } else {
                message = e.getMessage();
            }
            Response mapped = ProblemResponses.of(new ApiProblem(status, "http_" + status, null, message));
            return status == 405 ? Response.fromResponse(mapped).allow(e.getResponse().getAllowedMethods()).build()
                    : mapped;
        }
    }

    /** A bug of ours: logged with an incident id the client gets too, never with the request's headers. */
    static final class Unexpected implements ExceptionMapper<Throwable> {
        @Override
        public Response toResponse(Throwable e) {
            String incident = UUID.randomUUID().toString();
            LOG.error("unexpected error, incident {}", incident, e);
            return ProblemResponses.of(new ApiProblem(500, "internal", null, "snapci failed unexpectedly "
                    + "(incident " + incident + "); the server log has the details. Please report it."));
        }
    }
}
