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
import java.util.function.Function;

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
        Instant since = parameter(params, "since", Instant::parse, null,
                "since must be an ISO-8601 instant such as 2026-11-25T06:00:00Z");
        int limit = parameter(params, "limit", AuditResource::limit, DEFAULT_LIMIT,
                "limit must be a whole number from 1 to " + AuditQuery.MAX_LIMIT);
        return new AuditQuery(params.getFirst("source"), since, params.getFirst("who"), limit);
    }

    /** Parameter {@code name} read by {@code parse}, {@code absent} when not given; a 400 saying what is expected. */
    private static <T> T parameter(MultivaluedMap<String, String> params, String name, Function<String, T> parse,
                                   T absent, String expected) {
        if (!params.containsKey(name)) {
            return absent;
        }
        String text = params.getFirst(name);
        try {
            return parse.apply(text);
        } catch (DateTimeParseException | IllegalArgumentException e) {
            throw ApiProblem.invalid(name, expected + ", not '" + text + "'");
        }
    }

    /** A limit from 1 to {@link AuditQuery#MAX_LIMIT}; anything else is an IllegalArgumentException. */
    private static int limit(String text) {
        int limit = Integer.parseInt(text);
        if (limit < 1 || limit > AuditQuery.MAX_LIMIT) {
            throw new IllegalArgumentException("limit out of range: " + limit);
        }
        return limit;
    }
}
