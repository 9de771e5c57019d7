package io.snapci.server.api;

import io.snapci.server.metrics.PrometheusText;
import io.snapci.server.metrics.ServeMetrics;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;

/** {@code GET /metrics} in the Prometheus text format; scrape it with the bearer token (bearer_token_file). */
@Path("metrics")
public final class MetricsResource {

    private final ServeMetrics metrics;

    @Inject
    public MetricsResource(ServeMetrics metrics) {
        this.metrics = metrics;
    }

    @GET
    public Response metrics() {
        return Response.ok(metrics.scrape()).type(PrometheusText.CONTENT_TYPE).build();
    }
}
