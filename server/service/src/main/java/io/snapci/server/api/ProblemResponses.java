package io.snapci.server.api;

import io.snapci.server.ApiProblem;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** The one shape of every error response: JSON {@code {status, error, field?, message}}. */
final class ProblemResponses {

    private ProblemResponses() {
    }

    static Response of(ApiProblem problem) {
        return Response.status(problem.body().status()).type(MediaType.APPLICATION_JSON_TYPE).entity(problem.body())
                .build();
    }
}
