package io.snapci.server.api;

import io.snapci.scheduler.core.audit.AuditEntry;
import io.snapci.scheduler.core.audit.AuditQuery;
import io.snapci.server.ApiProblem;
import io.snapci.server.audit.AuditRecorder;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.UriInfo;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code GET /v1/audit?source=&since=&who=&limit=}: the audit log's entries, oldest first. See docs/audit.md. */
@Path("v1/audit")
@Produces(MediaType.APPLICATION_JSON)
public final class AuditResource {

    static final int DEFAULT_LIMIT = 100;
    private static final Set<String> PARAMETERS = Set.of("source", "since", "who", "limit");

    private final AuditRecorder audit;

    @Inject
    public AuditResource(AuditRecorder audit) {
        this.audit = audit;
    }

    @GET
    public Map<String, Object> list(@Context UriInfo uri) {
        AuditQuery query = query(uri.getQueryParameters());
        List<AuditEntry> entries = audit.log().query(query);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("count", entries.size());
        body.put("entries", entries);
        return body;
    }

    /** Strict, as the other endpoints: an unknown, repeated, empty or malformed parameter is a 400 naming it. */
    static AuditQuery query(MultivaluedMap<String, String> params) {
        for (Map.Entry<String, List<String>> param : params.entrySet()) {
            if (!PARAMETERS.contains(param.getKey())) {
                throw ApiProblem.invalid(param.getKey(), "unknown parameter '" + param.getKey()
                        + "'; /v1/audit takes source, since, who and limit");
            }
            if (param.getValue().size() != 1 || param.getValue().get(0).isBlank()) {
                throw ApiProblem.invalid(param.getKey(), param.getKey() + " must be given once, not empty");
            }
        }
        Instant since = null;
        if (params.containsKey("since")) {
            String text = params.getFirst("since");
            try {
                since = Instant.parse(text);
            } catch (DateTimeParseException e) {
                throw ApiProblem.invalid("since", "since must be an ISO-8601 instant such as "
                        + "2026-11-25T06:00:00Z, not '" + text + "'");
            }
        }
        int limit = DEFAULT_LIMIT;
        if (params.containsKey("limit")) {
            String text = params.getFirst("limit");
            try {
                limit = Integer.parseInt(text);
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 1 || limit > AuditQuery.MAX_LIMIT) {
                throw ApiProblem.invalid("limit", "limit must be a whole number from 1 to " + AuditQuery.MAX_LIMIT
                        + ", not '" + text + "'");
            }
        }
        return new AuditQuery(params.getFirst("source"), since, params.getFirst("who"), limit);
    }
}
