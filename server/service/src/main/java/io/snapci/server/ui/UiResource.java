package io.snapci.server.ui;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The web UI: {@code GET /} is its page, {@code GET /ui/<file>} its scripts (ES modules) and style sheet (from
 * {@code src/main/resources/ui/}). The files are public, so a browser can load them before it has a token; they hold
 * no data. Everything the page shows comes from the API, which the page calls with the bearer token the user typed.
 *
 * <p>Only the files named in {@code FILES} are served, read once at start: no request path ever reaches the
 * class path or the disk. The page uses relative links only, so it works at {@code /} and behind DC/OS Admin
 * Router at {@code /service/snapci/}.
 */
@Path("")
public final class UiResource {

    private static final String JS = "text/javascript; charset=utf-8";
    /** Every file of the UI with its type: a new module goes here too (WebUiServingTest fetches all it imports). */
    private static final Map<String, String> FILES = Map.ofEntries(
            Map.entry("index.html", "text/html; charset=utf-8"),
            Map.entry("app.css", "text/css; charset=utf-8"),
            Map.entry("app.js", JS),
            Map.entry("api.js", JS),
            Map.entry("actions.js", JS),
            Map.entry("charts.js", JS),
            Map.entry("clicommand.js", JS),
            Map.entry("dom.js", JS),
            Map.entry("format.js", JS),
            Map.entry("listing.js", JS),
            Map.entry("run.js", JS),
            Map.entry("runs.js", JS));
    private static final Set<String> READ_METHODS = Set.of("GET", "HEAD");
    /**
     * The page builds everything with DOM calls and loads nothing from elsewhere: a log line or test name that
     * looks like HTML stays text, and if that ever broke, the browser would still run no inline or foreign script.
     */
    private static final String CONTENT_SECURITY_POLICY = "default-src 'self'; img-src 'self' data:; "
            + "base-uri 'none'; form-action 'none'; frame-ancestors 'self'";

    private final Map<String, StaticFile> files;

    public UiResource() {
        this.files = FILES.keySet().stream().collect(Collectors.toUnmodifiableMap(name -> name, UiResource::load));
    }

    /** Whether a request is for the UI's static files, which {@code BearerAuthFilter} lets through without a token. */
    public static boolean isStaticFile(String method, String path) {
        if (!READ_METHODS.contains(method)) {
            return false;
        }
        String p = path.startsWith("/") ? path.substring(1) : path;
        return p.isEmpty() || (p.startsWith("ui/") && FILES.containsKey(p.substring(3)));
    }

    @GET
    public Response index(@Context Request request) {
        return serve(files.get("index.html"), request);
    }

    @GET
    @Path("ui/{file}")
    public Response file(@PathParam("file") String name, @Context Request request) {
        StaticFile file = files.get(name);
        if (file == null) {
            return Response.status(Response.Status.NOT_FOUND).build();
        }
        return serve(file, request);
    }

    /** A changed file (a new version of snapci) is fetched again at once; an unchanged one costs a 304. */
    private static Response serve(StaticFile file, Request request) {
        Response.ResponseBuilder notModified = request.evaluatePreconditions(file.etag());
        Response.ResponseBuilder response = notModified != null ? notModified
                : Response.ok(file.bytes()).type(file.type());
        return response.tag(file.etag())
                .header("Cache-Control", "no-cache")
                .header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                .header("X-Content-Type-Options", "nosniff")
                .header("Referrer-Policy", "no-referrer")
                .build();
    }

    private static StaticFile load(String name) {
        String resource = "ui/" + name;
        try (InputStream in = UiResource.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("the web UI file " + resource + " is missing from the class path; "
                        + "the server module was built without src/main/resources");
            }
            byte[] bytes = in.readAllBytes();
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
            return new StaticFile(bytes, FILES.get(name), new EntityTag(HexFormat.of().formatHex(digest, 0, 16)));
        } catch (IOException e) {
            throw new UncheckedIOException("reading the web UI file " + resource, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    private record StaticFile(byte[] bytes, String type, EntityTag etag) {
    }
}
